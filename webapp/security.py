"""Security headers on every response, and secure cookie settings.

Every page loads scripts and styles from this site only (``'self'``), the API docs page too:
its Swagger UI starts from a script file (``static/swagger-a11y.js``), not an inline one.
"""

from __future__ import annotations

from flask import Flask, Response, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
       "object-src 'none'")
HSTS = "max-age=31536000; includeSubDomains"
# Answers the same for everyone, that a cache may keep: assets, reference data, the contract.
CACHEABLE_PREFIXES = ("/static/", "/api/v1/swagger-ui/", "/api/v1/taxonomy/",
                      "/api/v1/openapi.json")


def add_security_headers(response: Response) -> Response:
    """Set CSP, framing, sniffing, referrer, (over HTTPS) HSTS and caching headers."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if not request.path.startswith(CACHEABLE_PREFIXES):
        # Pages and API answers may show personal data (the export, the account, contact
        # details): no cache, shared or the browser's back button, may keep them.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the headers; cookies are HttpOnly and SameSite=Lax, and Secure (sent over
    HTTPS only) when ``PUENTE_SECURE_COOKIES`` says so or, unset, when the site's address
    ``PUENTE_BASE_URL`` is an ``https://`` one."""
    secure = app.config.get("PUENTE_SECURE_COOKIES")
    if secure is None:
        secure = str(app.config["PUENTE_BASE_URL"]).startswith("https://")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.after_request(add_security_headers)
