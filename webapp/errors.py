"""Domain errors, their HTTP statuses, and the one place the error envelope is built.

API requests get ``{"error": {"code", "message", "fields"}}``; browser pages get an HTML page.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import exc as sql_errors
from sqlalchemy import inspect
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException

from models import db
from webapp.services.audit import record_now


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


class PreconditionFailed(PuenteError):
    """The client's ``If-Match`` names a version that is no longer the current one."""

    status, code = 412, "precondition_failed"


class UnsupportedMediaType(PuenteError):
    """The request's body is not JSON where JSON is required."""

    status, code = 415, "unsupported_media_type"
class TooManyRequests(PuenteError):
    """A use case's budget is spent (see ``services.budgets``); answered with Retry-After."""

    status, code = 429, "too_many_requests"

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests",
    500: "internal_error", 503: "service_unavailable",
}
# A database that cannot be reached (down, restarting, refusing connections, out of
# connections): the request could not be served, and will be once it is back.
DATABASE_UNAVAILABLE = (sql_errors.OperationalError, sql_errors.InterfaceError,
                        sql_errors.TimeoutError)
OUTAGE_RETRY_AFTER = 30  # seconds
OUTAGE_TRACEBACK_EVERY = 60.0  # seconds: one full traceback, then one line per failure


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
    return error_response(error.status, error.message, error.fields, code=error.code,
                          headers=getattr(error, "headers", None))


def handle_deleted_meanwhile(error: ObjectDeletedError):
    """Answer 409 when a row the request was using (its user, say) was deleted meanwhile."""
    return error_response(409, "What this request was about was deleted meanwhile.")


def handle_unexpected_error(error: Exception):
    """Answer anything unforeseen with a 500 envelope (the traceback goes to the log)."""
    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(500, "Something went wrong on our side; it has been logged.")


def handle_database_unavailable(error: Exception):
    """Answer 503 with Retry-After while the database cannot be reached.

    The log gets one full traceback per minute of outage and per process, and one line for
    every other failure, so that an outage cannot fill the disk. Nothing is kept between
    requests but the pool, whose dead connections are replaced once the database is back
    (``pool_pre_ping``): the service recovers by itself.
    """
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool will drop it
        pass
    g._login_user = current_app.login_manager.anonymous_user()  # the page cannot load it now
    state = current_app.extensions.setdefault("puente.outage", {"traceback_at": None})
    now = monotonic()
    if state["traceback_at"] is None or now - state["traceback_at"] >= OUTAGE_TRACEBACK_EVERY:
        state["traceback_at"] = now
        current_app.logger.error("Database unavailable", exc_info=error)
    else:
        current_app.logger.error("Database unavailable: %s %s %s", request.method,
                                 request.path, type(getattr(error, "orig", error)).__name__)
    return error_response(503, "The service is unavailable for a moment; try again shortly.",
                          headers={"Retry-After": str(OUTAGE_RETRY_AFTER)})


def audit_access_denied(response: Response) -> Response:
    """Write every 403 (API or page, raised or rendered) to the audit log as access.denied.

    A 401 is not recorded: anonymous callers have no actor to record, expired sessions and
    schema fuzzers produce them by the thousand, and failed sign-ins are recorded where they
    happen (``accounts.authenticate``, and the rate limiter for refused ones).
    """
    if response.status_code == 403:
        record_access_denied()
    return response


def record_access_denied() -> None:
    """Record that the current request was refused: who, which endpoint, which object.

    For a page that answers a refusal otherwise than with a 403 (a flash and a redirect).
    The request's own transaction is rolled back first — nothing a refused request did may
    stay, and on SQLite it would hold the write lock — then the entry is committed on its own.
    """
    actor_id = _actor_id()
    db.session.rollback()
    object_type, object_id = _target_of_request()
    record_now("access.denied", object_type, object_id, actor_id=actor_id,
               endpoint=request.endpoint, method=request.method)


def _actor_id() -> int | None:
    """Return the signed-in user's id, even when its row was expired by a rollback."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return None
    identity = inspect(user).identity
    return identity[0] if identity else None


# URL id argument -> the audit log's object type
TARGETS = {"profile_id": "profile", "intro_id": "introduction", "token_id": "api_token",
           "proposal_id": "cohort_proposal"}


def _target_of_request() -> tuple[str, int | None]:
    """Return the object a refused request aimed at: ``("profile", 7)`` for ``/smes/7``."""
    ids = [(name, value) for name, value in (request.view_args or {}).items()
           if name.endswith("_id") and isinstance(value, int)]
    if len(ids) == 1:
        name, value = ids[0]
        return TARGETS.get(name, name.removesuffix("_id")[:20]), value
    return "endpoint", None


def register_error_handlers(app: Flask) -> None:
    """Route every error through the envelope builder; note refusals in the audit log."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(PuenteError, handle_puente_error)
    app.register_error_handler(ObjectDeletedError, handle_deleted_meanwhile)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, handle_database_unavailable)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected_error)
    app.after_request(audit_access_denied)
