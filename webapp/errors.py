"""Domain errors, their HTTP statuses, and the one place the error envelope is built.

API requests get ``{"error": {"code", "message", "fields"}}``; browser pages get an HTML page.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class PuenteError(Exception):
    """Base of the errors services raise; the web layer maps each to an HTTP status."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(PuenteError):
    status, code = 422, "validation_error"


class NotAuthenticated(PuenteError):
    status, code = 401, "unauthorized"


class Forbidden(PuenteError):
    status, code = 403, "forbidden"


class NotFound(PuenteError):
    status, code = 404, "not_found"


class Conflict(PuenteError):
    status, code = 409, "conflict"


HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests",
    500: "internal_error",
}
def wants_json() -> bool:
    """Tell whether the current request should be answered in JSON."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def flatten_messages(messages: dict) -> dict[str, list[str]]:
    """Flatten webargs messages ``{location: {field: msgs}}`` into ``{field: [messages]}``."""
    out: dict[str, list[str]] = {}
    for value in messages.values():
        if isinstance(value, dict):
            for field, msgs in value.items():
                name = "body" if field == "_schema" else str(field)
                out.setdefault(name, []).extend(_strings(msgs))
        else:  # a message about the body as a whole, e.g. malformed JSON
            out.setdefault("body", []).extend(_strings(value))
    return out


def _strings(msgs: Any) -> list[str]:
    if isinstance(msgs, str):
        return [msgs]
    if isinstance(msgs, dict):  # errors of list items or nested fields: keep the position
        return [f"{key}: {m}" for key, value in msgs.items() for m in _strings(value)]
    return [m for item in msgs for m in _strings(item)]


def error_response(status: int, message: str, fields=None, code=None, headers=None):
    """Build the error answer, JSON or HTML by what the client asked for."""
    code = code or HTTP_CODES.get(status, "error")
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        response = jsonify(body)
    else:
        response = render_template("error.html", status=status, message=message,
                                   fields=fields or {})
    return response, status, dict(headers or {})


def handle_http_exception(error: HTTPException):
    """Answer an HTTP exception (from abort, routing or webargs) with the envelope."""
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages")
    fields = flatten_messages(messages) if messages else {}
    message = data.get("message") or _default_message(error, fields)
    headers = dict(error.get_headers()) if error.code == 405 else {}
    headers.pop("Content-Type", None)
    headers.update(data.get("headers") or {})
    return error_response(error.code or 500, message, fields, headers=headers)


def _default_message(error: HTTPException, fields: dict) -> str:
    if fields:
        return "The request has invalid fields: " + ", ".join(sorted(fields)) + "."
    return error.description or error.name


def handle_puente_error(error: PuenteError):
    """Answer a domain error with its status and the envelope."""
    return error_response(error.status, error.message, error.fields, code=error.code)


def handle_unexpected_error(error: Exception):
    """Answer anything unforeseen with a 500 envelope (the traceback goes to the log)."""
    from flask import current_app

    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(500, "Something went wrong on our side; it has been logged.")


def register_error_handlers(app: Flask) -> None:
    """Route every error through the envelope builder."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(PuenteError, handle_puente_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected_error)
