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
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sqlalchemy import Boolean
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from matcher.taxonomy.text import fold
from models import Profile

__all__ = ["SQLITE_FUNCTION", "profile_matches", "row_matches", "search_pattern"]

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


def search_pattern(text: str) -> str:
    """Return the expression finding ``text`` anywhere, whatever its case and accents."""
    parts = []  # composed first: "e" + U+0301, as some keyboards send it, is "é"
    for char in unicodedata.normalize("NFC", text).lower().translate(_TABLE):
        if char in _VARIANTS:
            parts.append(f"[{_VARIANTS[char]}]")
        elif char.isalnum():
            parts.append(char)
        else:
            parts.append("\\" + char)  # a literal in PostgreSQL's expressions and Python's
    return "".join(parts)


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
