"""Languages: ISO 639-3 individual and macrolanguages plus the region's ISO 639-5 collectives.

A language is identified by its canonical code: the two-letter ISO 639-1 code where one exists
("en", "cr", "iu"), else the three-letter ISO 639-3 code ("zap", "yua"). "eng" is therefore
rejected. The special codes mis, mul, und and zxx are not languages and are rejected too.
Collective codes (ISO 639-5) of language families of North and Central America are accepted
("nah" Nahuatl languages, "myn" Mayan languages, ...), since speakers often name the family.

Names are translated with pycountry's iso639-3 gettext catalog; ``data/language_names.json``
supplies the names of the collective codes and corrects or completes the catalog for the
languages of the region (e.g. Spanish "Náhuatl de la Huasteca oriental", "Maya yucateco").
"""

from functools import cache

import pycountry

from .i18n import catalog, check_locale, load_json
from .text import fold

__all__ = ["INDIGENOUS_LANGUAGES", "REGIONAL_LANGUAGES", "is_language", "language_codes",
           "language_name", "languages"]

_REGION_FAMILIES = (
    "alg", "apa", "aql", "ath", "azc", "cai", "cdd", "esx", "hok", "iro",
    "myn", "nah", "nai", "omq", "oto", "sal", "sio", "wak", "xnd", "ypk",
)
_SPECIAL_SCOPE = "S"

_INDIGENOUS_MX = (
    "nah", "nhe", "nhw", "nch", "ngu", "azz", "nhn",
    "myn", "yua", "tzh", "tzo", "ctu", "hus", "mam", "toj",
    "zap", "mix", "oto", "ote", "otq", "maz", "mau", "top", "tos", "tsz",
    "tar", "yaq", "mfy", "hch", "sei", "mxp",
)
_INDIGENOUS_US_CA = (
    "nv", "chr", "lkt", "dak", "oj", "cr", "iu", "ikt", "mic", "moe", "atj", "bla", "chp",
    "den", "dgr", "gwi", "tli", "hai", "moh", "crg", "esu", "ik", "apw", "ood", "hop", "cho",
    "haw", "alg", "ath", "iro",
)
REGIONAL_LANGUAGES: tuple[str, ...] = (
    # official languages of the program countries
    "en", "es", "fr",
    # Indigenous languages of Mexico (collective codes where varieties are many)
    *_INDIGENOUS_MX,
    # Indigenous languages of the United States and Canada
    *_INDIGENOUS_US_CA,
    # major immigrant and business languages
    "zh", "ko", "vi", "tl", "pt", "de", "ar", "hi", "pa", "ja", "it",
)
INDIGENOUS_LANGUAGES: frozenset[str] = frozenset((*_INDIGENOUS_MX, *_INDIGENOUS_US_CA))
"""The Indigenous languages of the region among REGIONAL_LANGUAGES (a match weighs them more)."""


@cache
def _english_names() -> dict[str, str]:
    """Map every accepted canonical code to its English (catalog source) name."""
    names = {
        getattr(lang, "alpha_2", lang.alpha_3): lang.name
        for lang in pycountry.languages
        if lang.scope != _SPECIAL_SCOPE
    }
    for code in _REGION_FAMILIES:
        family = pycountry.language_families.get(alpha_3=code)
        if family is not None:
            names[code] = family.name
    return names


@cache
def _families() -> frozenset[str]:
    return frozenset(code for code in _REGION_FAMILIES if code in _english_names())


def is_language(code: object) -> bool:
    """Tell whether ``code`` is a canonical ISO 639 code ("en", "zap", "nah"; not "eng")."""
    return isinstance(code, str) and code in _english_names()


def language_codes() -> tuple[str, ...]:
    """Return every accepted language code, sorted."""
    return tuple(sorted(_english_names()))


def language_name(code: str, lang: str = "en") -> str | None:
    """Return the name of language ``code`` in ``lang``, or None if ``code`` is not a language."""
    lang = check_locale(lang)
    if not is_language(code):
        return None
    override = load_json("language_names.json")[lang].get(code)
    if override is not None:
        return override
    english = _english_names()[code]
    if code in _families():
        return english
    name = catalog("iso639-3", lang).gettext(english)
    return name[:1].upper() + name[1:]


@cache
def _catalogue(lang: str) -> tuple[tuple[dict[str, object], str], ...]:
    """Return every language as (row, folded name), sorted by folded name."""
    regional = frozenset(REGIONAL_LANGUAGES)
    rows = []
    for code in _english_names():
        name = language_name(code, lang) or code
        rows.append(({"code": code, "name": name, "regional": code in regional}, fold(name)))
    return tuple(sorted(rows, key=lambda item: (item[1], item[0]["code"])))


def _rank(code: str, folded_name: str, query: str) -> int | None:
    if code == query:
        return 0
    if folded_name.startswith(query):
        return 1
    if query in folded_name:
        return 2
    return None


def languages(
    lang: str = "en", q: str | None = None, regional: bool = False, limit: int | None = None
) -> list[dict[str, object]]:
    """List languages as ``{"code", "name", "regional"}``, sorted by name in ``lang``.

    ``regional`` keeps only REGIONAL_LANGUAGES. ``q`` keeps languages whose code equals it or
    whose name contains it (accent- and case-insensitive): exact code first, then names
    starting with ``q``, then the others; regional languages first within each group.
    ``limit`` caps the number of rows.
    """
    rows = _catalogue(check_locale(lang))
    if regional:
        rows = tuple(item for item in rows if item[0]["regional"])
    query = fold(q or "")
    if query:
        ranked = [(_rank(row["code"], name, query), row, name) for row, name in rows]
        matches = [item for item in ranked if item[0] is not None]
        # Stable sort: within a rank, regional languages first, then by name.
        matches.sort(key=lambda item: (item[0], not item[1]["regional"]))
        rows = tuple((row, name) for _, row, name in matches)
    picked = rows if limit is None else rows[: max(limit, 0)]
    return [dict(row) for row, _ in picked]
