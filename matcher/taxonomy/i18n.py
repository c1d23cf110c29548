"""Locales, pycountry's gettext catalogs and the packaged JSON data files."""

import gettext
import json
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from .errors import UnknownCodeError

__all__ = ["LOCALES", "catalog", "check_locale", "load_json", "open_data"]

LOCALES: tuple[str, ...] = ("en", "es", "fr")


def check_locale(lang: str) -> str:
    """Return ``lang`` as one of LOCALES ("es-MX" and "fr_CA" are accepted as "es" and "fr")."""
    base = str(lang).replace("-", "_").split("_", 1)[0].lower()
    if base not in LOCALES:
        raise UnknownCodeError(f"unsupported locale {lang!r}; expected one of {LOCALES}")
    return base


@cache
def catalog(domain: str, lang: str) -> gettext.NullTranslations:
    """Return pycountry's gettext catalog ``domain`` for ``lang`` (identity for English)."""
    return gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[check_locale(lang)], fallback=True
    )


def open_data(name: str) -> Any:
    """Open the packaged data file ``name`` for binary reading."""
    return (resources.files(__package__) / "data" / name).open("rb")


@cache
def load_json(name: str) -> Any:
    """Return the parsed packaged JSON file ``name`` (cached; treat as read-only)."""
    with open_data(name) as fh:
        return json.load(fh)
