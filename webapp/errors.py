"""Domain errors, their HTTP statuses, and the one place the error envelope is built.

API requests get ``{"error": {"code", "message", "params", "fields": {name: [{"code",
"message", "params"}]}}}``, rendered from :mod:`webapp.catalogue` in the caller's language;
browser pages get an HTML page.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sql_errors
from sqlalchemy import inspect
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException

from matcher.taxonomy import LOCALES
from models import db
from webapp import catalogue
from webapp.catalogue.text import language_of_tag
from webapp.services.audit import record_now


class Problem:
    """One problem with one field: a code of :mod:`webapp.catalogue.fields` and its params."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, /, **params: Any):
        self.code = code
        self.params = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and (self.code, self.params) == (other.code,
                                                                           other.params)

    __hash__ = None  # type: ignore[assignment]  # params are a dict

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, **{self.params!r})"

    def __str__(self) -> str:
        return catalogue.describe_problem(self)


Fields = dict[str, list[Problem]]


class PuenteError(Exception):
    """Base of the refusals services raise: a code and its parameters, and the problems of
    each field; the web layer maps each class to an HTTP status and the code to a message."""

    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, /, fields: Fields | None = None,
                 **params: Any):
        self.code = code or type(self).code
        self.params = params
        self.fields = {name: list(problems) for name, problems in (fields or {}).items()}
        super().__init__(self.code)

    def __str__(self) -> str:  # logs and tracebacks: the refusal in English
        return catalogue.describe(self.code, "en", **self.params)


class InvalidInput(PuenteError):
    status, code = 422, "invalid_fields"


class NotAuthenticated(PuenteError):
    status, code = 401, "unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="Puente API"'}  # a 401 must say how


class Forbidden(PuenteError):
    status, code = 403, "forbidden"


class NotFound(PuenteError):
    status, code = 404, "not_found"


class Conflict(PuenteError):
    status, code = 409, "changed_meanwhile"


class PreconditionFailed(PuenteError):
    """The client's ``If-Match`` names a version that is no longer the current one."""

    status, code = 412, "stale_version"


class UnsupportedMediaType(PuenteError):
    """The request's body is not JSON where JSON is required."""

    status, code = 415, "unsupported_media_type"


class MalformedBody(PuenteError):
    """The request's body says it is JSON and cannot be parsed as such."""

    status, code = 400, "invalid_json"


class TooManyRequests(PuenteError):
    """A use case's budget is spent (see ``services.budgets``); answered with Retry-After."""

    status, code = 429, "too_many_requests"

    def __init__(self, code: str | None = None, /, *, retry_after: int, **params: Any):
        super().__init__(code, **params)
        self.headers = {"Retry-After": str(retry_after)}


def invalid_fields(problems: dict[str, Problem | list[Problem]],
                   code: str = "invalid_fields", **params: Any) -> InvalidInput:
    """Return the 422 refusal of fields, each with its problem(s); the envelope names them."""
    fields = {name: p if isinstance(p, list) else [p] for name, p in problems.items()}
    if code == "invalid_fields":
        params.setdefault("names", sorted(fields))
    return InvalidInput(code, fields, **params)


def invalid_messages(messages: Any) -> InvalidInput:
    """Return the 422 refusal of a schema's validation messages (their problem codes)."""
    fields = problems_of(messages)
    return InvalidInput("invalid_fields", fields, names=sorted(fields))


def english_refusal(err: PuenteError) -> str:
    """Return a refusal and its field problems in English, rendered from their codes and
    parameters: ``refusal name: problem; …`` (CLI output)."""
    problems = "; ".join(f"{name}: {catalogue.describe_problem(p)}"
                         for name, problems in err.fields.items() for p in problems)
    return f"{catalogue.describe(err.code, 'en', **err.params)} {problems}".strip()


HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "changed_meanwhile", 412: "stale_version",
    413: "payload_too_large",
    415: "unsupported_media_type", 422: "invalid_fields", 429: "too_many_requests",
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


def error_locale() -> str:
    """Return the language of error messages: the API's ``?lang=`` then ``Accept-Language``
    (English by default); for pages, the reader's locale (their account's, the cookie's…)."""
    if not wants_json():
        locale = get_locale()
        return locale.language if locale is not None else "en"
    chosen = language_of_tag(request.args.get("lang"))  # "ES", "fr-CA" alike (BCP 47)
    if chosen is not None:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "en"


# marshmallow's "_schema" (the body as a whole) is named "body" in the envelope
SCHEMA_KEYS = {"_schema": "body", "json": "body"}


def problems_of(messages: Any) -> Fields:
    """Return ``{field: [Problem]}`` of webargs/marshmallow messages (``{location: {field:
    problems}}`` or ``{field: problems}``); problems are the codes the schemas raise."""
    out: Fields = {}
    if not isinstance(messages, dict):
        out["body"] = _problems(messages)
        return out
    for key, value in messages.items():
        if key in LOCATIONS and isinstance(value, dict):
            for name, nested in problems_of(value).items():
                out.setdefault(name, []).extend(nested)
        else:
            name = SCHEMA_KEYS.get(str(key), str(key))
            out.setdefault(name, []).extend(_problems(value))
    return out


LOCATIONS = ("json", "query", "querystring", "form", "headers", "cookies", "files",
             "view_args", "path")


def _problems(value: Any, item: Any = None) -> list[Problem]:
    if isinstance(value, Problem):
        return [Problem(value.code, **value.params, item=item) if item is not None else value]
    if isinstance(value, dict):  # errors of list items or nested fields: keep the position
        found = []
        for key, nested in value.items():
            position = key if item is None else f"{item}.{key}"
            found += _problems(nested, SCHEMA_KEYS.get(str(key), position))
        return found
    if isinstance(value, list | tuple):
        return [p for each in value for p in _problems(each, item)]
    # A message no schema coded (a library's own): never parsed, shown as a generic problem.
    params = {"item": item} if item is not None else {}
    return [Problem("invalid_value", **params)]


def error_response(status: int, code: str | None = None, params: dict | None = None,
                   fields: Fields | None = None, headers=None):
    """Build the error answer, JSON or HTML by what the client asked for."""
    code = code or HTTP_CODES.get(status, "bad_request")
    body = catalogue.render_error(code, params or {}, fields or {}, error_locale())
    if wants_json():
        response = jsonify({"error": body})
    else:
        response = render_template("error.html", status=status, message=body["message"],
                                   fields={name: [p["message"] for p in problems]
                                           for name, problems in body["fields"].items()})
    return response, status, dict(headers or {})


def handle_http_exception(error: HTTPException):
    """Answer an HTTP exception (from abort, routing or webargs) with the envelope."""
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages")
    fields = problems_of(messages) if messages else {}
    headers = dict(error.get_headers()) if error.code == 405 else {}
    headers.pop("Content-Type", None)
    headers.update(data.get("headers") or {})
    status = error.code or 500
    if isinstance(error, CSRFError):
        return error_response(status, "csrf_failed", headers=headers)
    if fields:
        return error_response(status, "invalid_fields", {"names": sorted(fields)}, fields,
                              headers=headers)
    return error_response(status, headers=headers)


def handle_puente_error(error: PuenteError):
    """Answer a domain error with its status and the envelope."""
    return error_response(error.status, error.code, error.params, error.fields,
                          headers=getattr(error, "headers", None))


def handle_deleted_meanwhile(error: ObjectDeletedError):
    """Answer 409 when a row the request was using (its user, say) was deleted meanwhile."""
    return error_response(409, "deleted_meanwhile")


def handle_unexpected_error(error: Exception):
    """Answer anything unforeseen with a 500 envelope (the traceback goes to the log)."""
    current_app.logger.exception("Unhandled error", exc_info=error)
    return error_response(500, "internal_error")


def handle_database_unavailable(error: Exception):
    """Answer 503 with Retry-After while the database cannot be reached.

    The log gets one full traceback per minute of outage and per process, and one line for
    every other failure, so that an outage cannot fill the disk. Nothing is kept between
    requests but the pool, whose dead connections are replaced once the database is back
    (:func:`webapp.database.check_idle_connections`): the service recovers by itself.
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
    return error_response(503, "service_unavailable",
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
