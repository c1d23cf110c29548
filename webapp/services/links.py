"""Links in e-mails: addresses of the pages, on the configured site (``PUENTE_BASE_URL``),
and the signed, expiring tokens that some of them carry."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# purpose -> config key of its lifetime and the unit that key counts in (seconds each)
LIFETIMES = {"password-reset": ("PUENTE_RESET_HOURS", 3600),
             "verify-email": ("PUENTE_VERIFY_DAYS", 86400),
             "invitation": ("PUENTE_INVITE_DAYS", 86400)}


class LinkRefused(Exception):
    """A link's token is not valid (``code``: ``link_invalid`` or ``link_expired``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def page_url(path: str) -> str:
    """Return the absolute address of a page of the site, for an e-mail."""
    return current_app.config["PUENTE_BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"puente-{purpose}")


def fingerprint(secret: str) -> str:
    """Return a short digest of a stored secret (a password hash), so that a token carrying
    it dies when the secret changes — which makes a reset link single-use."""
    return hashlib.sha256(secret.encode()).hexdigest()[:20]


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    """Return a signed token for one purpose (a token for another purpose never passes)."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str) -> dict[str, Any]:
    """Return the payload of a signed token that has not expired, or raise LinkRefused."""
    key, unit = LIFETIMES[purpose]
    try:
        payload = _serializer(purpose).loads(token, max_age=current_app.config[key] * unit)
    except SignatureExpired as error:
        raise LinkRefused("link_expired") from error
    except BadSignature as error:
        raise LinkRefused("link_invalid") from error
    if not isinstance(payload, dict):
        raise LinkRefused("link_invalid")
    return payload
