"""Countries (ISO 3166-1) and the top-level subdivisions (ISO 3166-2) of the program countries.

Names come from pycountry and are translated with its bundled iso-codes gettext catalogs. Where
a country has a common name ("South Korea" for "Korea, Republic of") that name is used. A few
French subdivision names are replaced by the official Canadian (or usual) French spelling, which
the catalog gets slightly wrong ("Nouveau Brunswick", "Île-du-Prince Édouard").
"""

from functools import cache

import pycountry

from .i18n import catalog, check_locale
from .text import fold

__all__ = [
    "PROGRAM_COUNTRIES",
    "countries",
    "country_name",
    "is_country_code",
    "is_subdivision",
    "subdivision_name",
    "subdivisions",
]

PROGRAM_COUNTRIES: tuple[str, ...] = ("US", "MX", "CA")

_FRENCH_SUBDIVISIONS = {
    "CA-NB": "Nouveau-Brunswick",
    "CA-NT": "Territoires du Nord-Ouest",
    "CA-PE": "Île-du-Prince-Édouard",
    "MX-BCN": "Basse-Californie",
    "MX-BCS": "Basse-Californie-du-Sud",
    "MX-COA": "Coahuila de Zaragoza",
    "MX-NLE": "Nuevo León",
}
# Where pycountry's Spanish catalogue has no name (it gave the English one).
_SPANISH_SUBDIVISIONS = {
    "US-VI": "Islas Vírgenes de los Estados Unidos",
}


@cache
def _country_names() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def _subdivisions() -> dict[str, tuple[str, str]]:
    """Map each top-level subdivision code of a program country to (country, English name)."""
    found = {}
    for country in PROGRAM_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country):
            if sub.parent_code is None:
                found[sub.code] = (country, sub.name)
    return found


def is_country_code(cc: object) -> bool:
    """Tell whether ``cc`` is an upper-case ISO 3166-1 alpha-2 country code."""
    return isinstance(cc, str) and cc in _country_names()


def country_name(cc: str, lang: str = "en") -> str | None:
    """Return the name of country ``cc`` in ``lang``, or None if ``cc`` is not a country code."""
    translate = catalog("iso3166-1", lang).gettext
    return translate(_country_names()[cc]) if is_country_code(cc) else None


def countries(lang: str = "en", program_only: bool = False) -> list[dict[str, str]]:
    """Return ``{"code", "name"}`` for every country (or the program countries), by name."""
    codes = PROGRAM_COUNTRIES if program_only else _country_names()
    rows = [{"code": cc, "name": country_name(cc, lang) or cc} for cc in codes]
    return sorted(rows, key=lambda row: fold(row["name"]))


def is_subdivision(code: object, country: object) -> bool:
    """Tell whether ``code`` is a top-level subdivision of program country ``country``."""
    entry = _subdivisions().get(code) if isinstance(code, str) else None
    return entry is not None and entry[0] == country


def subdivision_name(code: str, lang: str = "en") -> str | None:
    """Return the name of subdivision ``code`` in ``lang``, or None if it is not one we hold."""
    lang = check_locale(lang)
    entry = _subdivisions().get(code) if isinstance(code, str) else None
    if entry is None:
        return None
    if lang == "fr" and code in _FRENCH_SUBDIVISIONS:
        return _FRENCH_SUBDIVISIONS[code]
    if lang == "es" and code in _SPANISH_SUBDIVISIONS:
        return _SPANISH_SUBDIVISIONS[code]
    return catalog("iso3166-2", lang).gettext(entry[1])


def subdivisions(country: str, lang: str = "en") -> list[dict[str, str]]:
    """Return ``{"code", "name"}`` for the subdivisions of ``country`` by name ([] if none)."""
    codes = [code for code, (cc, _) in _subdivisions().items() if cc == country]
    rows = [{"code": code, "name": subdivision_name(code, lang) or code} for code in codes]
    return sorted(rows, key=lambda row: fold(row["name"]))
