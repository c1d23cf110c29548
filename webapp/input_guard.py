"""Refuse text that is not storable anywhere in a request, before any view runs.

One rule for every text the service accepts (``models.storable``): no NUL character
(``\\x00``, which PostgreSQL cannot store) and no lone UTF-16 surrogate (``"\\ud800"`` in
JSON, which is not text at all: it cannot be encoded to be hashed, stored or logged). Every
request is checked once here — every string and key of a JSON body, whatever its transport (a
``Content-Length`` or chunks), and the query string's names and values of API requests — and
answered 422 naming each field that holds one, so no endpoint can forget. Page forms apply the
same rule field by field (``webapp.ui.forms.StorableForm``), to show the error next to the
field; page filters in the query string drop a value that breaks it, as any invalid filter.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request

from models.storable import has_unstorable, printable, unstorable_paths
from webapp.errors import InvalidInput, Problem, error_response


def check_storable(data: dict[str, Any]) -> None:
    """Refuse text that is not storable (a NUL, a lone surrogate) with InvalidInput."""
    bad = sorted(name for name, value in data.items() if has_unstorable(value))
    if bad:
        raise InvalidInput("unstorable_text", {name: [Problem("unstorable_text")] for name in bad})


def refuse_unstorable_text():
    """Answer 422 when a request holds text that is not storable; otherwise let it through."""
    fields = [printable(name) for name, value in request.args.items(multi=True)
              if has_unstorable(name) or has_unstorable(value)] if _is_api() else []
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # over-deep JSON: the arguments parser refuses it
            body = None
        fields += unstorable_paths(body)
    if not fields:
        return None
    return error_response(422, "unstorable_text", {},
                          {name: [Problem("unstorable_text")] for name in sorted(set(fields))})


def _is_api() -> bool:
    """Tell whether the request is the API's: pages drop a query filter they cannot use."""
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Check every request before its view (and before its arguments are parsed)."""
    app.before_request(refuse_unstorable_text)
