"""Bound every request body by ``MAX_CONTENT_LENGTH`` however it is framed, and refuse an API
write whose body is not JSON (415) or is malformed JSON (400), before any view runs.

A body over the limit is 413, with a ``Content-Length`` (Werkzeug checks it) or sent in chunks
(:class:`BoundedBodyRequest`, the app's request class: Werkzeug would cut such a body at the
limit without a word and hand its first MiB on as if it were all of it), for the API and the
pages alike; nothing is read past one byte over the limit, and nothing is written.

Every POST, PUT, PATCH and DELETE under ``/api/`` that carries a body must send it as
``Content-Type: application/json`` (else 415, ``unsupported_media_type``) and as parseable
JSON (else 400, ``invalid_json``, the ``body`` field named); no view runs, nothing is
written. A write with no body at all goes on to its view (an accept needs none; an empty
PATCH is refused there with 422).
"""

from __future__ import annotations

import io
from typing import IO

from flask import Flask, Request, request
from werkzeug.exceptions import BadRequest, ClientDisconnected, RequestEntityTooLarge
from werkzeug.utils import cached_property

from webapp.errors import MalformedBody, Problem, UnsupportedMediaType

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class BoundedBodyRequest(Request):
    """Flask's request, whose body is refused (413) past ``max_content_length`` even when it
    comes in chunks, with no ``Content-Length`` to check beforehand."""

    @cached_property
    def stream(self) -> IO[bytes]:
        """Return the body's stream; a body of unknown length is read here, whole, up to one
        byte past the limit (RequestEntityTooLarge when that byte comes)."""
        limit = self.max_content_length
        if (self.content_length is not None or limit is None or self.shallow
                or "wsgi.input_terminated" not in self.environ):
            return super().stream  # Werkzeug's checks hold: a length, or nothing to read
        return io.BytesIO(read_at_most(self.environ["wsgi.input"], limit))


def read_at_most(stream: IO[bytes], limit: int) -> bytes:
    """Return everything the stream holds, or raise RequestEntityTooLarge once it gives more
    than ``limit`` bytes (having read ``limit + 1`` of them at most)."""
    body = bytearray()
    while len(body) <= limit:
        try:
            piece = stream.read(limit + 1 - len(body))
        except (OSError, ValueError) as err:  # the client went away mid-body
            raise ClientDisconnected() from err
        if not piece:
            return bytes(body)
        body += piece
    raise RequestEntityTooLarge()


def has_body() -> bool:
    """Tell whether the request carries a body (a length above 0, or chunks)."""
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()


def require_json_body() -> None:
    """Raise UnsupportedMediaType when an API write's body is not JSON, MalformedBody when
    it says it is and does not parse."""
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
        raise MalformedBody("invalid_json", {"body": [Problem("invalid_json")]}) from err


def init_app(app: Flask) -> None:
    """Bound every request's body; check every API write's body before its view (and before
    its arguments are parsed)."""
    app.request_class = BoundedBodyRequest
    app.before_request(require_json_body)
