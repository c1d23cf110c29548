"""The account page: language preference and API tokens (webapp/ui/account.py)."""

from __future__ import annotations

import re

import pytest

from models import ApiToken, db
from tests.factories import csrf_token, row_counts
from webapp.errors import InvalidInput
from webapp.services import accounts


def test_account_page_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_account_page_shows_email_role_and_language(client, signed_in):
    user = signed_in("mentor", locale="fr")
    html = client.get("/account").get_data(as_text=True)
    assert user.email in html and "Mentor" in html and "Jetons d’API" in html
    assert '<option selected value="fr">Français</option>' in html


def test_create_token_shows_the_secret_once_and_it_works(client, signed_in):
    signed_in("sme")
    response = client.post("/account/tokens", data={
        "name": "ERP sync", "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    secret = re.search(r'<code id="new-token">(pte_[^<]+)</code>', html).group(1)
    me = client.application.test_client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.get_json()["role"] == "sme"
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and "ERP sync" in again and secret[:10] + "…" in again


def test_token_list_shows_creation_and_last_use_in_the_users_language(app, client, signed_in,
                                                                      token_for):
    user = signed_in("buyer", locale="es")
    app.test_client().get("/api/v1/me", headers=token_for(user))
    html = client.get("/account").get_data(as_text=True)
    year = str(db.session.scalar(db.select(ApiToken)).created_at.year)
    assert re.search(rf"\d+ \w+ {year}, \d+:\d\d", html)  # e.g. "23 nov 2026, 11:51:13"
    assert "Nunca" not in html


@pytest.mark.parametrize("name, message", [
    ("", "Give the token a name, e.g. the program that will use it."),
    ("x" * 101, "Use at most 100 characters."),
])
def test_bad_token_name_is_refused_by_the_field(client, signed_in, name, message):
    signed_in("sme")
    before = row_counts()
    response = client.post("/account/tokens", data={
        "name": name, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 422
    assert f'<p class="error" id="name-error">{message}</p>' in response.get_data(as_text=True)
    assert row_counts() == before


def test_revoke_token(app, client, signed_in, token_for):
    user = signed_in("sme")
    headers = token_for(user)
    token_id = db.session.scalar(db.select(ApiToken.id))
    response = client.post(f"/account/tokens/{token_id}/revoke",
                           data={"csrf_token": csrf_token(client, "/account")},
                           follow_redirects=True)
    assert "The token was revoked" in response.get_data(as_text=True)
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(client, signed_in, make_user, token_for):
    token_for(make_user("sme"))
    signed_in("sme")
    token_id = db.session.scalar(db.select(ApiToken.id))
    response = client.post(f"/account/tokens/{token_id}/revoke",
                           data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 404
    assert db.session.get(ApiToken, token_id) is not None


def test_revoke_needs_the_csrf_token(client, signed_in, token_for):
    token_for(signed_in("sme"))
    token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 400
    assert db.session.get(ApiToken, token_id) is not None


def test_set_locale(make_user):
    user = make_user("sme")
    assert accounts.set_locale(user, "fr").locale == "fr"
    with pytest.raises(InvalidInput):
        accounts.set_locale(user, "de")
    db.session.refresh(user)
    assert user.locale == "fr"


def test_sign_up_refuses_a_common_password_in_the_readers_language(client):
    from tests.factories import csrf_token, row_counts

    before = row_counts()
    response = client.post("/signup?lang=es", data={
        "role": "sme", "email": "nuevo@example.test", "password": "password123",
        "locale": "es", "csrf_token": csrf_token(client, "/signup")})
    assert response.status_code == 422
    assert "Esta contraseña está entre las más comunes" in response.get_data(as_text=True)
    assert row_counts() == before
