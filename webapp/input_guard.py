"""Refuse a NUL character anywhere in an API request, before any view runs.

PostgreSQL cannot store NUL (``\\x00``) in text or JSON, so a NUL that reached the database
would be a server error there (and not on SQLite). Every API request is checked once here —
query string names and values, and every string and key of a JSON body — and answered 422
naming each field that holds one, so no endpoint can forget. Page forms check their fields
themselves, to show the error next to the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask, request

from webapp.errors import InvalidInput, error_response

MESSAGE = "Contains a NUL character (\\x00), which is not allowed."


def nul_fields(value: Any, path: str = "") -> Iterator[str]:
    """Yield the dotted path of every string (or key) holding a NUL, iteratively."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                yield where or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                if "\x00" in str(key):
                    yield name.replace("\x00", "\\x00")
                else:
                    stack.append((name, child))
        elif isinstance(item, list | tuple):
            stack.extend((f"{where}.{i}" if where else str(i), child)
                         for i, child in enumerate(item))


def check_storable(data: dict[str, Any]) -> None:
    """Refuse text holding a NUL character (PostgreSQL cannot store or compare it)."""
    bad = sorted(name for name, value in data.items() if any(nul_fields(value)))
    if bad:
        raise InvalidInput("Text cannot contain NUL characters.", {name: [MESSAGE] for name in bad})


def refuse_nul_characters():
    """Answer 422 when an API request holds a NUL character; otherwise let it through."""
    if not request.path.startswith("/api/"):
        return None
    fields = [name.replace("\x00", "\\x00") for name, value in request.args.items(multi=True)
              if "\x00" in name or "\x00" in value]
    if request.is_json and request.content_length:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # over-deep JSON: the arguments parser refuses it
            body = None
        fields += nul_fields(body)
    if not fields:
        return None
    return error_response(422, "Text cannot contain NUL characters.",
                          {name: [MESSAGE] for name in sorted(set(fields))})


def init_app(app: Flask) -> None:
    """Check every request before its view (and before its arguments are parsed)."""
    app.before_request(refuse_nul_characters)
