"""Abuse limits (Flask-Limiter): password checks, sign-up, token creation, and the app's
limiter for use-case budgets.

Counters are shared by every worker process: in Redis when ``REDIS_URL`` is set (every host),
else in a SQLite file of their own (``webapp.ratelimit_store``; every process of one host), or
wherever ``PUENTE_RATELIMIT_STORAGE`` says. A request over a limit is answered 429 with
``Retry-After`` and the error envelope. The limits:

* **password checks** (:data:`PASSWORD_DOORS`): signing in on the page or for an API token,
  changing the password, deleting the account — one budget (``PUENTE_LOGIN_LIMIT``) shared
  by all these doors, counted twice: per address and per account (the address typed, or the
  signed-in user's), so that neither many addresses on one account nor many accounts from one
  address get more guesses;
* **sign-up** per address (``PUENTE_SIGNUP_LIMIT``), **token creation** per address
  (``PUENTE_TOKEN_LIMIT``), **password reset** (asking for a link, and setting the password
  through one) per address (``PUENTE_RESET_LIMIT``), **resending the verification link** per
  address (``PUENTE_VERIFY_LIMIT``);
* the e-mails sent on request per account too (:data:`ACCOUNT_LIMITS`), page and API
  together: asking for a reset link (``PUENTE_RESET_LIMIT``) and signing up (a welcome, or
  "someone tried" to the owner: ``PUENTE_SIGNUP_LIMIT``), counted on the address typed,
  whether or not it has an account, so that the answers over the limit are the same for
  both; resending the verification link (``PUENTE_VERIFY_LIMIT``, the signed-in user's);
* per account, on a use case whichever route reaches it (``services.budgets``): requesting an
  introduction, from the matches page or the API alike.

The address is the client's as seen through ``PUENTE_PROXY_COUNT`` trusted reverse proxies
(Werkzeug's ProxyFix reads that many ``X-Forwarded-For`` hops; 0, the default, ignores the
header, which a client could otherwise forge). Every limit is checked at start-up: an
endpoint that does not exist or a limit that does not parse stops ``create_app``. A request
through no limited door (:func:`limited_doors`: every GET here) skips the limiter altogether.

A refused sign-in is a failed login in the audit log (reason ``rate_limited``), written at most
once a minute per address and door, so that a flood of refusals cannot flood the log too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import ratelimit_store
from webapp.config import refused
from webapp.services.accounts import find_user_by_email, normalise_email
from webapp.services.audit import record_now
from webapp.services.budgets import BUDGETS

# endpoint -> the methods that check a password there
PASSWORD_DOORS = {
    "ui.login": "POST", "auth.Tokens": "POST", "auth.MyPassword": "POST", "auth.Me": "DELETE",
    "ui.change_password": "POST", "ui.delete_account": "POST",
}
# endpoint -> config key of its own per-address limit (POST only)
ADDRESS_LIMITS = {
    "ui.signup": "PUENTE_SIGNUP_LIMIT",
    "auth.Tokens": "PUENTE_TOKEN_LIMIT",
    "ui.create_token": "PUENTE_TOKEN_LIMIT",
    "ui.forgot_password": "PUENTE_RESET_LIMIT",
    "ui.reset_password": "PUENTE_RESET_LIMIT",
    "auth.PasswordResetRequest": "PUENTE_RESET_LIMIT",
    "auth.PasswordReset": "PUENTE_RESET_LIMIT",
    "ui.resend_verification": "PUENTE_VERIFY_LIMIT",
    "auth.MyVerification": "PUENTE_VERIFY_LIMIT",
}
# endpoint -> (config key, scope) of a budget per account, shared by the endpoints of a scope
# (POST only): the e-mails one account can be sent on request, from however many addresses
ACCOUNT_LIMITS = {
    "ui.forgot_password": ("PUENTE_RESET_LIMIT", "reset-account"),
    "auth.PasswordResetRequest": ("PUENTE_RESET_LIMIT", "reset-account"),
    "ui.resend_verification": ("PUENTE_VERIFY_LIMIT", "verify-account"),
    "auth.MyVerification": ("PUENTE_VERIFY_LIMIT", "verify-account"),
    # a welcome, or "someone tried to sign up with your address" to its owner
    "ui.signup": ("PUENTE_SIGNUP_LIMIT", "signup-account"),
}
# sign-in doors: endpoint -> the audit log's "via"
SIGN_IN_ENDPOINTS = {"ui.login": "web", "auth.Tokens": "api"}
# doors about the address typed, whoever is signed in
TYPED_ADDRESS_ENDPOINTS = {*SIGN_IN_ENDPOINTS, "ui.forgot_password", "auth.PasswordResetRequest",
                           "ui.signup"}
AUDIT_REFUSALS_EVERY = parse("1 per minute")
LIMIT_KEYS = ("PUENTE_LOGIN_LIMIT", *dict.fromkeys(ADDRESS_LIMITS.values()),
              *dict.fromkeys(key for key, _ in ACCOUNT_LIMITS.values()))


def init_app(app: Flask) -> Limiter:
    """Give the app its own limiter and limit the endpoints (after blueprints exist).

    One limiter per app, not a module-level one: the view functions are shared by every app
    of a process, and a shared limiter would count a request once per app built.
    """
    check_limits(app)
    trust_proxies(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app))
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config.get("PUENTE_RATELIMIT_PREFIX",
                                                                 "puente"))
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    limiter.init_app(app)
    doors = limited_doors()
    # Every limit is on one of these doors: any other request skips the limiter's per-request
    # look-ups (they took 3% of a match request's CPU). Budgets are hit by their use cases.
    limiter.request_filter(lambda: (request.endpoint, request.method) not in doors)
    for endpoint, method in PASSWORD_DOORS.items():
        breach = audit_refused_sign_in if endpoint in SIGN_IN_ENDPOINTS else None
        view = app.view_functions[endpoint]
        for scope, key_func in (("password-address", get_remote_address),
                                ("password-account", account_key)):
            view = limiter.shared_limit(_config("PUENTE_LOGIN_LIMIT"), scope,
                                        key_func=key_func, methods=[method],
                                        on_breach=breach)(view)
        app.view_functions[endpoint] = view
    for endpoint, key in ADDRESS_LIMITS.items():
        app.view_functions[endpoint] = limiter.limit(
            _config(key), methods=["POST"],
            on_breach=audit_refused_sign_in if endpoint in SIGN_IN_ENDPOINTS else None,
        )(app.view_functions[endpoint])
    for endpoint, (key, scope) in ACCOUNT_LIMITS.items():
        # a request naming no address (a malformed form, nobody signed in) is refused by its
        # view; it must not spend a budget that all such requests would share
        app.view_functions[endpoint] = limiter.shared_limit(
            _config(key), scope, key_func=account_key, methods=["POST"],
            exempt_when=lambda: _named_address() is None,
        )(app.view_functions[endpoint])
    app.extensions["puente.limiter"] = limiter
    return limiter


def limited_doors() -> frozenset[tuple[str, str]]:
    """Return the (endpoint, method) pairs :func:`init_app` limits."""
    return frozenset({*PASSWORD_DOORS.items(),
                      *((endpoint, "POST") for endpoint in (*ADDRESS_LIMITS, *ACCOUNT_LIMITS))})


def _config(key: str):
    return lambda: current_app.config[key]


def storage_uri(app: Flask) -> str:
    """Return where counters live: as configured, else Redis, else a file in the instance."""
    return (app.config.get("PUENTE_RATELIMIT_STORAGE") or app.config.get("REDIS_URL")
            or f"{ratelimit_store.SCHEME}://{Path(app.instance_path) / 'ratelimits.sqlite3'}")


def trust_proxies(app: Flask) -> None:
    """Read the client's address from ``PUENTE_PROXY_COUNT`` reverse proxies' headers."""
    count = int(app.config.get("PUENTE_PROXY_COUNT") or 0)
    if count < 0:
        raise RuntimeError("PUENTE_PROXY_COUNT: give 0 or more proxies")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def check_limits(app: Flask) -> None:
    """Raise RuntimeError for a limited endpoint that does not exist, ``ConfigError`` for a
    limit that does not parse, rather than leave a route silently unlimited."""
    missing = sorted({*PASSWORD_DOORS, *ADDRESS_LIMITS, *ACCOUNT_LIMITS}
                     - set(app.view_functions))
    if missing:
        raise RuntimeError(f"rate limits name endpoints that do not exist: {missing}")
    for key in sorted({*LIMIT_KEYS, *BUDGETS.values()}):
        try:
            parse(app.config[key])
        except (KeyError, ValueError) as error:
            raise refused(key, app.config.get(key), "a rate limit such as "
                          "'10 per minute; 50 per hour'") from error


def account_key() -> str:
    """Return the account a request is about: the address typed (a sign-in, a reset request:
    whether or not it has an account), else the signed-in user's — case-folded and hashed,
    so that counters never hold an e-mail address."""
    email = normalise_email(_named_address() or "").casefold()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _named_address() -> str | None:
    if request.endpoint in TYPED_ADDRESS_ENDPOINTS or not current_user.is_authenticated:
        return _submitted_email()
    return current_user.email


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
