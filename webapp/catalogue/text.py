"""Extraction markers, and the compiled catalogues (``webapp/translations``) they are read from.

``N_("…")`` and ``N_plural("…", "…")`` mark a msgid for ``pybabel extract`` and return it
unchanged: the catalogue modules hold English msgids, and text is made only when a reader's
locale is known. Translations are read with Babel directly (not through Flask-Babel), so the
same rendering works in a request, a CLI command, a background job or a plain unit test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import Translations

from matcher.taxonomy import LOCALES

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"



@dataclass(frozen=True)
class InContext:
    """A msgid with a gettext context: one English word that reads differently elsewhere
    ("Accepted" as one introduction's state is singular in Spanish and French)."""

    context: str
    msgid: str


Msgid = str | tuple[str, str] | InContext


def pgettext(context: str, msgid: str) -> InContext:
    """Mark ``msgid`` in ``context`` for extraction (pybabel's default ``pgettext``)."""
    return InContext(context, msgid)


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Mark ``msgid`` for extraction; return it unchanged."""
    return msgid


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a singular/plural msgid pair for extraction (chosen by the ``num`` parameter)."""
    return singular, plural


# A BCP 47 language tag: its language, then any script, region or variant subtags ("fr-CA";
# "fr_CA" as POSIX and Babel write it is read alike).
LANGUAGE_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


def language_of_tag(tag: str | None) -> str | None:
    """Return the supported language a language tag names, whatever its case and region
    ("ES" -> "es", "fr-CA" -> "fr"): tags are case-insensitive (BCP 47). None for another
    language or what is not a tag."""
    found = LANGUAGE_TAG.fullmatch(tag or "")
    language = found.group(1).lower() if found else None
    return language if language in LOCALES else None


def locale_of(locale: str | None) -> str:
    """Return the supported locale for ``locale`` ("es-MX" -> "es"; unknown -> "en")."""
    base = str(locale or "en").replace("-", "_").split("_", 1)[0].lower()
    return base if base in LOCALES else "en"


# Numbers and dates are written as the program's own region writes them: Spanish as in Mexico
# (29.784; 1,234 km), French as in Canada (29,784; 1 234 km; 2026-12-05), English as in the
# United States. Babel's plain "es" and "fr" are Spain's and France's: "29,784" read 29
# thousand to a Mexican reader.
REGIONAL_LOCALES = {"en": "en_US", "es": "es_MX", "fr": "fr_CA"}


def formatting_locale(locale: str | None) -> str:
    """Return the Babel locale that writes numbers and dates for ``locale`` ("es" -> "es_MX")."""
    return REGIONAL_LOCALES[locale_of(locale)]


@cache
def translations(locale: str) -> Translations:
    """Return the compiled catalogue of a supported locale (read once per process)."""
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


class _Values(dict):
    """Template values; a placeholder without a value renders empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


def translate(msgid: Msgid, locale: str | None, values: Mapping[str, Any] | None = None) -> str:
    """Return ``msgid`` in ``locale``, its ``%(name)s`` placeholders filled from ``values``."""
    catalogue = translations(locale_of(locale))
    values = values or {}
    if isinstance(msgid, InContext):
        text = catalogue.pgettext(msgid.context, msgid.msgid)
    elif isinstance(msgid, tuple):
        text = catalogue.ngettext(msgid[0], msgid[1], int(values.get("num") or 0))
    else:
        text = catalogue.gettext(msgid)
    return text % _Values(values) if "%(" in text else text
