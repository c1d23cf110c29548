"""Refuse a NUL character anywhere in an API request, before any view runs.

PostgreSQL cannot store NUL (``\\x00``) in text or JSON, so a NUL that reached the database
would be a server error there (and not on SQLite). Every API request is checked once here —
query string names and values, and every string and key of a JSON body — and answered 422
naming each field that holds one, so no endpoint can forget. Page forms check their fields
themselves, to show the error next to the field.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from models.storable import has_nul, nul_paths
from webapp.errors import InvalidInput, Problem, error_response


def check_storable(data: dict[str, Any]) -> None:
    """Refuse text holding a NUL character (PostgreSQL cannot store or compare it)."""
    bad = sorted(name for name, value in data.items() if has_nul(value))
    if bad:
        raise InvalidInput("nul_character", {name: [Problem("nul_character")] for name in bad})


def refuse_nul_characters():
    """Answer 422 when an API request holds a NUL character; otherwise let it through."""
    if not request.path.startswith("/api/"):
        return None
    fields = [name.replace("\x00", "\\x00") for name, value in request.args.items(multi=True)
              if has_nul(name) or has_nul(value)]
    if request.is_json and request.content_length:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # over-deep JSON: the arguments parser refuses it
            body = None
        fields += nul_paths(body)
    if not fields:
        return None
    return error_response(422, "nul_character", {},
                          {name: [Problem("nul_character")] for name in sorted(set(fields))})


def init_app(app: Flask) -> None:
    """Check every request before its view (and before its arguments are parsed)."""
    app.before_request(refuse_nul_characters)
