"""What the database can store: ids within its integer columns, and text — Unicode without
NUL characters or lone UTF-16 surrogates.

Each rule is written once here; the request guard, the services and the page forms all ask it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

MAX_ID = 2**31 - 1
"""The largest id of a PostgreSQL ``integer`` column: a larger one is simply not found."""

NUL = "\x00"  # PostgreSQL cannot store it in text or JSON, nor compare text holding it
# NUL, and a surrogate code point on its own ("\ud800" in JSON): not text, it cannot even be
# encoded as UTF-8 (to hash a password, to store, to log). A well-formed pair in JSON
# ("\ud83c\udf2e") is decoded into one character and is fine.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def valid_id(value: int) -> bool:
    """Tell whether ``value`` can be the id of a row (1 … :data:`MAX_ID`)."""
    return 0 < value <= MAX_ID


def is_storable_text(text: str) -> bool:
    """Tell whether the string holds neither a NUL nor a lone surrogate."""
    return UNSTORABLE.search(text) is None


def printable(text: str) -> str:
    """Return the text with each unstorable character written as its escape (``\\x00``)."""
    return UNSTORABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def has_unstorable(value: Any) -> bool:
    """Tell whether a string, or any string or key inside lists and dicts, is not storable."""
    return next(unstorable_paths(value), None) is not None


def unstorable_paths(value: Any, path: str = "") -> Iterator[str]:
    """Yield the dotted path of every string (or key) that is not storable text, iteratively.

    A key that is not storable is named with its bad characters escaped (``\\x00``,
    ``\\ud800``); a bare string is ``body`` when no ``path`` is given.
    """
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if not is_storable_text(item):
                yield printable(where) or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                if not is_storable_text(str(key)):
                    yield printable(name)
                else:
                    stack.append((name, child))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}.{i}" if where else str(i), child)
                         for i, child in enumerate(item))
