"""Security headers and cookie flags."""

import pytest

from tests.factories import app_config, login
from webapp import create_app


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


def test_docs_page_allows_no_inline_script_or_style(client):
    """Swagger UI starts from a script file: the docs page needs no CSP exception."""
    policy = client.get("/api/v1/docs").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "'unsafe-inline'" not in policy


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("sme")
    response = login(client, user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("settings, secure", [
    ({}, False),
    ({"PUENTE_BASE_URL": "https://puente.example.org"}, True),
    ({"PUENTE_SECURE_COOKIES": True}, True),
    ({"PUENTE_BASE_URL": "https://puente.example.org", "PUENTE_SECURE_COOKIES": False}, False),
])
def test_cookies_are_secure_when_the_site_is_served_over_https(database_url, settings, secure):
    app = create_app({**app_config(database_url), **settings})
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure
    with app.test_request_context("/", base_url="https://puente.example.org"):
        response = app.make_response("")
        app.session_interface.save_session(app, _session_with(app, "x"), response)
    cookie = response.headers["Set-Cookie"]
    assert ("Secure" in cookie) is secure and "HttpOnly" in cookie


def test_secure_cookies_can_be_set_from_the_environment(database_url, monkeypatch):
    monkeypatch.setenv("PUENTE_SECURE_COOKIES", "true")
    assert create_app(app_config(database_url)).config["SESSION_COOKIE_SECURE"] is True


def _session_with(app, value):
    session = app.session_interface.open_session(app, app.request_class({}))
    session["probe"] = value
    return session


def test_personal_answers_are_never_stored_by_a_cache(client, as_role):
    """Issue 15 #9: the export, the account page and every answer showing contact details
    carry ``Cache-Control: no-store`` (a shared or back-button cache must not keep them)."""
    from tests.intro_factories import act, make_party, request_intro

    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    api = ["/api/v1/me/export", "/api/v1/me", f"/api/v1/smes/{sme.id}",
           f"/api/v1/introductions/{intro['id']}", "/api/v1/introductions", "/api/v1/smes"]
    for path in api:
        response = client.get(path, headers=sme.headers)
        assert response.status_code == 200, path
        assert "no-store" in response.headers.get("Cache-Control", ""), path
    from models import User, db

    login(client, db.session.get(User, sme.user_id).email)
    for path in ["/account", "/account/export", "/introductions", f"/profiles/{sme.id}",
                 "/profile", "/matches"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_public_reference_data_and_assets_may_be_cached(client):
    for path in ["/static/puente.css", "/api/v1/taxonomy/needs"]:
        response = client.get(path)
        response.close()
        assert response.status_code == 200, path
        assert "no-store" not in response.headers.get("Cache-Control", ""), path
