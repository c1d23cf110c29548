"""Abuse limits (Flask-Limiter): sign-in, token creation and introduction requests.

Counters live in Redis when ``REDIS_URL`` is set (shared by every worker and host), in process
memory otherwise. A request over the limit is answered 429 with ``Retry-After`` and the error
envelope. The limits are set in one table, by endpoint, for POST only.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# endpoint -> config key holding its limit
LIMITED_ENDPOINTS = {
    "ui.login": "PUENTE_LOGIN_LIMIT",
    "auth.Tokens": "PUENTE_TOKEN_LIMIT",
    "ui.create_token": "PUENTE_TOKEN_LIMIT",
    "introductions.Introductions": "PUENTE_INTRODUCTION_LIMIT",
}


def init_app(app: Flask) -> Limiter:
    """Give the app its own limiter and limit the endpoints (after blueprints exist).

    One limiter per app, not a module-level one: the view functions are shared by every app
    of a process, and a shared limiter would count a request once per app built.
    """
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    limiter.init_app(app)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = limiter.limit(
                lambda key=key: current_app.config[key], methods=["POST"]
            )(app.view_functions[endpoint])
    app.extensions["puente.limiter"] = limiter
    return limiter
