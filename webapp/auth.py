"""Who is calling: session cookies (Flask-Login) and API bearer tokens.

A request is authenticated by its session (or remember-me) cookie when it carries a valid one,
and by its ``Authorization: Bearer`` token otherwise. A write authenticated by a cookie is
CSRF-checked whatever other header it sends: only a token that actually authenticated the
request spares the check.
"""

from __future__ import annotations

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from models import User, db
from webapp.app_memo import app_memo
from webapp.errors import NotAuthenticated, wants_json
from webapp.extensions import csrf, login_manager
from webapp.services import account_cache
from webapp.services.accounts import user_for_token


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Load the user of a session id ``"<id>:<epoch>:<created>"`` (``User.get_id``); a stale
    epoch ends the session, and so does another account holding the id."""
    user_id, _, _ = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = account_cache.get(("user", int(user_id)))
    if user is None:
        loaded_at = account_cache.generation()
        user = db.session.get(User, int(user_id))
        if user is not None:
            account_cache.put(("user", user.id), user, loaded_at)
    if user is None or not user.active or user.get_id() != session_id:
        return None
    return user


@login_manager.request_loader
def load_user_from_bearer(req) -> User | None:
    """Authenticate ``Authorization: Bearer <token>``."""
    scheme, _, secret = (req.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    user = user_for_token(secret.strip())
    g.authenticated_by_token = user is not None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    """Answer 401 in JSON for the API, or send a browser to the login page."""
    if wants_json():
        raise NotAuthenticated("unauthorized")
    # the language a link asked for (?lang=) speaks on the login page too, not only after it
    return redirect(url_for("ui.login", next=request.full_path, lang=request.args.get("lang")))


def authenticated_by_token() -> bool:
    """Tell whether a bearer token, not a cookie, authenticated the current request."""
    return current_user.is_authenticated and g.get("authenticated_by_token", False)


def protect_api_session_writes() -> None:
    """Require the CSRF token on API writes authenticated by the session cookie."""
    if not request.path.startswith("/api/"):
        return  # pages are checked by CSRFProtect itself
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if current_user.is_authenticated and not authenticated_by_token():
        csrf.protect()


def init_app(app: Flask) -> None:
    """Bind Flask-Login and CSRF protection."""
    login_manager.init_app(app)
    login_manager.login_view = "ui.login"
    csrf.init_app(app)
    # In place of Flask-WTF's own, which its context processor puts in every template's
    # context: a later processor's value wins.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})


SIGNED_TOKENS_KEPT = 4096  # sessions whose signed CSRF token a worker keeps


def csrf_token() -> str:
    """Return the request's CSRF token, as Flask-WTF's ``generate_csrf`` (the pages' global
    ``csrf_token()``), signing a session's raw token once per worker instead of on every page
    (see :func:`kept_csrf_token`)."""
    return kept_csrf_token() or generate_csrf()


def kept_csrf_token() -> str | None:
    """Return the session's signed CSRF token as this worker signed it before, and put it in
    ``g``, where Flask-WTF (its ``generate_csrf``, a form's CSRF field) reads it first; None
    when the session has no raw token yet, or a time limit applies.

    A signed token carries its signing time, which only a time limit reads: with none
    (``WTF_CSRF_TIME_LIMIT`` None, Puente's setting) a token signed earlier for the same raw
    token and secret passes the same check, so each worker keeps the last few thousand it
    signed. With a time limit, every request signs anew.
    """
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
    if field in g:
        return g.get(field)
    raw = session.get(field)
    if raw is None or config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return None
    token = app_memo("puente.signed_csrf", SIGNED_TOKENS_KEPT, _signed)(
        config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
    setattr(g, field, token)
    return token


def _signed(secret_key: str, raw: str) -> str:
    """Return the request session's raw CSRF token (``raw``) signed with the secret key, by
    Flask-WTF (the arguments key the kept tokens)."""
    return generate_csrf(secret_key)
