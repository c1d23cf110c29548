"""Security headers and cookie flags."""

import pytest

from tests.factories import login


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/taxonomy/needs", "/nowhere"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_docs_page_may_run_its_inline_bootstrap(client):
    assert "'unsafe-inline'" in client.get("/api/v1/docs").headers["Content-Security-Policy"]


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("sme")
    response = login(client, user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
