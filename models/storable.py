"""What the database can store: ids within its integer columns, text without NUL characters.

Each rule is written once here; the API guard, the services and the page forms all ask it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MAX_ID = 2**31 - 1
"""The largest id of a PostgreSQL ``integer`` column: a larger one is simply not found."""

NUL = "\x00"  # PostgreSQL cannot store it in text or JSON, nor compare text holding it


def valid_id(value: int) -> bool:
    """Tell whether ``value`` can be the id of a row (1 … :data:`MAX_ID`)."""
    return 0 < value <= MAX_ID


def has_nul(value: Any) -> bool:
    """Tell whether a string, or any string or key inside lists and dicts, holds a NUL."""
    return next(nul_paths(value), None) is not None


def nul_paths(value: Any, path: str = "") -> Iterator[str]:
    """Yield the dotted path of every string (or key) holding a NUL, iteratively.

    A key holding a NUL is named with the NUL written ``\\x00``; a bare string is ``body``
    when no ``path`` is given.
    """
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield where or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                if NUL in str(key):
                    yield name.replace(NUL, "\\x00")
                else:
                    stack.append((name, child))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}.{i}" if where else str(i), child)
                         for i, child in enumerate(item))
