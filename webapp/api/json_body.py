"""Refuse an API write whose body is not JSON (415), before any view runs.

Every POST, PUT, PATCH and DELETE under ``/api/`` that carries a body must send it as
``Content-Type: application/json`` and as parseable JSON; otherwise it is answered 415 and
no view runs, so nothing is written. A write with no body at all goes on to its view (an
accept needs none; an empty PATCH is refused there with 422).
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from webapp.errors import Problem, UnsupportedMediaType

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def has_body() -> bool:
    """Tell whether the request carries a body (a length above 0, or chunks)."""
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()


def require_json_body() -> None:
    """Raise UnsupportedMediaType when an API write's body is not JSON."""
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
        return
    if not has_body():
        return
    if not request.is_json:
        raise UnsupportedMediaType("unsupported_media_type", {"body": [Problem(
            "unsupported_media_type", mimetype=request.mimetype or "none given")]})
    try:
        request.get_json()
    except (BadRequest, RecursionError) as err:
        raise UnsupportedMediaType("invalid_json", {"body": [Problem("invalid_json")]}) from err


def init_app(app: Flask) -> None:
    """Check every API write's body before its view (and before its arguments are parsed)."""
    app.before_request(require_json_body)
