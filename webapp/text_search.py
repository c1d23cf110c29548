"""Profile search that ignores case and accents, the same on SQLite and PostgreSQL.

A reader types "queretaro" for Querétaro and "LOGÍSTICA" for logística. The typed text is
folded (lower case, accents off, as :func:`matcher.taxonomy.text.fold` does for the NAICS
search) and each letter becomes the class of every letter that folds to it, so
``search_pattern("logística")`` is ``l[oOòóôõö…]g[iIìíîï…]st…``: a regular expression made of
literals and classes only (linear to match, whatever is typed). PostgreSQL matches it on the
stored columns with ``~*``; SQLite calls :func:`row_matches`, registered on each connection by
:mod:`webapp.database` (its own ``lower`` and ``LIKE`` fold ASCII only). Folding the pattern,
not the stored text, keeps the search one pass over the rows, close to the ``lower(…) LIKE``
it replaced (``scripts/bench_search.py``: up to 1.4× its time over 100,000 profiles on
PostgreSQL; folding the text with ``translate`` took 17 s there, and ``unaccent`` needs an
extension installed). Letters that fold to two (œ, æ, ß) are found as typed.

A profile is also found by the name of its state, province or country in any of the three
languages, as its card writes them ("ontario", "nuevo leon", "mexique"): the names holding the
typed text give codes, and the condition adds ``subdivision IN (…) OR country IN (…)``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import BindParameter, Boolean, ColumnElement, bindparam, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from matcher import taxonomy as tx
from matcher.taxonomy.text import fold
from models import Profile

__all__ = ["SQLITE_FUNCTION", "found", "found_by_values", "places_named", "profile_matches",
           "row_matches", "search_pattern", "search_values"]

SQLITE_FUNCTION = "puente_search"
SEARCHED_COLUMNS = ("name", "city", "description", "needs_text", "products_text", "bio")


def _letters_by_base() -> dict[str, str]:
    """Each ASCII letter with every Latin letter U+00C0–U+024F that folds to it, both cases."""
    variants = {c: c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz"}
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = fold(letter)
        if len(base) == 1 and base in variants and base != letter:
            variants[base] += letter
    return variants


_VARIANTS = _letters_by_base()
_TABLE = str.maketrans({letter: base for base, letters in _VARIANTS.items()
                        for letter in letters})


def _folded(text: str) -> str:
    """Lower case, accents off; composed first: "e" + U+0301, as some keyboards send it, is "é"."""
    return unicodedata.normalize("NFC", text).lower().translate(_TABLE)


def search_pattern(text: str) -> str:
    """Return the expression finding ``text`` anywhere, whatever its case and accents."""
    parts = []
    for char in _folded(text):
        if char in _VARIANTS:
            parts.append(f"[{_VARIANTS[char]}]")
        elif char.isalnum():
            parts.append(char)
        else:
            parts.append("\\" + char)  # a literal in PostgreSQL's expressions and Python's
    return "".join(parts)


@cache
def _place_names() -> tuple[tuple[str, str, str], ...]:
    """(``country`` or ``subdivision``, code, folded name) of every program country and its
    states, provinces and territories, named in each of the three languages."""
    rows = set()
    for lang in tx.LOCALES:
        for cc in tx.PROGRAM_COUNTRIES:
            rows.add(("country", cc, _folded(tx.country_name(cc, lang) or cc)))
            rows.update(("subdivision", sub["code"], _folded(sub["name"]))
                        for sub in tx.subdivisions(cc, lang))
    return tuple(sorted(rows))


@lru_cache(maxsize=1024)
def places_named(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the (countries, subdivisions) whose name in English, Spanish or French holds
    ``text``, whatever its case and accents."""
    typed = _folded(text.strip())
    found = {"country": set(), "subdivision": set()}
    if typed:
        for column, code, name in _place_names():
            if typed in name:
                found[column].add(code)
    return tuple(sorted(found["country"])), tuple(sorted(found["subdivision"]))


def found_by_values(name: str = "q", values: dict[str, Any] | None = None
                    ) -> ColumnElement[bool]:
    """The condition: a profile's name, city or texts, or its place's name, hold the text
    whose values (:func:`search_values`) are bound under ``name``: given here, or with each
    run of a statement composed once."""
    def param(key: str, **options) -> BindParameter:
        return bindparam(key, values[key], **options) if values else bindparam(key, **options)

    return or_(profile_matches(param(name)),
               Profile.country.in_(param(f"{name}_countries", expanding=True)),
               Profile.subdivision.in_(param(f"{name}_subdivisions", expanding=True)))


def search_values(text: str, name: str = "q") -> dict[str, Any]:
    """Return the bound values of :func:`found_by_values` for ``text``."""
    countries, subdivisions = places_named(text)
    return {name: search_pattern(text), f"{name}_countries": list(countries),
            f"{name}_subdivisions": list(subdivisions)}


def found(text: str, name: str = "q") -> ColumnElement[bool]:
    """:func:`found_by_values` with the values of ``text`` (one ``name`` per condition of a
    statement)."""
    return found_by_values(name, search_values(text, name))


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def row_matches(pattern: str, *values: str | None) -> bool:
    """SQLite's ``puente_search``: whether one of the values holds the pattern."""
    found = _compiled(pattern).search
    return any(value is not None and found(value) for value in values)


class profile_matches(FunctionElement):  # noqa: N801 - an SQL function, lower case like func.*
    """True where a profile's name, city or texts hold the pattern (:func:`search_pattern`)."""

    type = Boolean()
    inherit_cache = True

    def __init__(self, pattern):
        super().__init__(pattern, *(getattr(Profile, name) for name in SEARCHED_COLUMNS))


@compiles(profile_matches)
def _on_postgresql(element, compiler, **kw) -> str:
    pattern, *columns = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(concat_ws(chr(31), {', '.join(columns)}) ~* {pattern})"


@compiles(profile_matches, "sqlite")
def _on_sqlite(element, compiler, **kw) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"
