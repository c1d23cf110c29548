"""Abuse limits (Flask-Limiter): sign-in, token creation, and the app's limiter for budgets.

Counters live in Redis when ``REDIS_URL`` is set (shared by every worker and host), in process
memory otherwise. A request over the limit is answered 429 with ``Retry-After`` and the error
envelope. Two kinds of limits:

* per address, on the routes that check a password (:data:`LIMITED_ENDPOINTS`, POST only):
  signing in and creating a token; changing the password and deleting the account check the
  current password, so they are limited like signing in;
* per account, on a use case whichever route reaches it (``services.budgets``): requesting an
  introduction, from the matches page or the API alike.

Every limit is checked at start-up: an endpoint that does not exist or a limit that does not
parse stops ``create_app``.

A refused sign-in is a failed login in the audit log (reason ``rate_limited``), written at most
once a minute per address and door, so that a flood of refusals cannot flood the log too.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse

from webapp.services.accounts import find_user_by_email
from webapp.services.audit import record_now
from webapp.services.budgets import BUDGETS

# endpoint -> config key holding its limit
LIMITED_ENDPOINTS = {
    "ui.login": "PUENTE_LOGIN_LIMIT",
    "auth.Tokens": "PUENTE_TOKEN_LIMIT",
    "ui.create_token": "PUENTE_TOKEN_LIMIT",
    "auth.MyPassword": "PUENTE_LOGIN_LIMIT",
    "ui.change_password": "PUENTE_LOGIN_LIMIT",
    "ui.delete_account": "PUENTE_LOGIN_LIMIT",
}
# sign-in doors: endpoint -> the audit log's "via"
SIGN_IN_ENDPOINTS = {"ui.login": "web", "auth.Tokens": "api"}
AUDIT_REFUSALS_EVERY = parse("1 per minute")


def init_app(app: Flask) -> Limiter:
    """Give the app its own limiter and limit the endpoints (after blueprints exist).

    One limiter per app, not a module-level one: the view functions are shared by every app
    of a process, and a shared limiter would count a request once per app built.
    """
    check_limits(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    limiter.init_app(app)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        app.view_functions[endpoint] = limiter.limit(
            lambda key=key: current_app.config[key], methods=["POST"],
            on_breach=audit_refused_sign_in if endpoint in SIGN_IN_ENDPOINTS else None,
        )(app.view_functions[endpoint])
    app.extensions["puente.limiter"] = limiter
    return limiter


def check_limits(app: Flask) -> None:
    """Raise RuntimeError for a limited endpoint that does not exist or a limit that does not
    parse, rather than leave a route silently unlimited."""
    missing = sorted(set(LIMITED_ENDPOINTS) - set(app.view_functions))
    if missing:
        raise RuntimeError(f"rate limits name endpoints that do not exist: {missing}")
    for key in sorted({*LIMITED_ENDPOINTS.values(), *BUDGETS.values()}):
        try:
            parse(app.config[key])
        except (KeyError, ValueError) as error:
            raise RuntimeError(f"{key}: not a rate limit ({error})") from error


def audit_refused_sign_in(limit: RequestLimit) -> None:
    """Note a rate-limited sign-in as a failed login (once a minute per address and door)."""
    limiter = current_app.extensions["puente.limiter"]
    if not limiter.limiter.hit(AUDIT_REFUSALS_EVERY, "puente-audit-refusal",
                               request.endpoint, get_remote_address()):
        return
    email = _submitted_email()
    user = find_user_by_email(email) if email else None
    record_now("auth.login_failed", "user", user.id if user else None, actor_id=None,
               reason="rate_limited", via=SIGN_IN_ENDPOINTS[request.endpoint])


def _submitted_email() -> str | None:
    if request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    else:
        email = request.form.get("email")
    return email if isinstance(email, str) and 0 < len(email) <= 254 else None
