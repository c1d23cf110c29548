"""The account page: language, API tokens, password change, download my data and delete my
account (webapp/ui/account.py)."""

from __future__ import annotations

import re

import pytest

from models import ApiToken, User, db
from tests.conftest import PASSWORD
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import field_errors
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


def test_token_times_say_they_are_in_utc(app, client, signed_in, token_for):
    user = signed_in("sme", locale="fr")
    app.test_client().get("/api/v1/me", headers=token_for(user))
    html = client.get("/account").get_data(as_text=True)
    created = re.search(r'data-label="Création">([^<]+)</td>', html).group(1)
    used = re.search(r'data-label="Dernière utilisation">([^<]+)</td>', html).group(1)
    assert created.endswith(" UTC") and used.endswith(" UTC")  # the page has no zone of its own


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


NEW_PASSWORD = "tamales de elote 1987"


def password_form(client, current=PASSWORD, new=NEW_PASSWORD, again=None) -> dict:
    return {"current_password": current, "new_password": new,
            "new_password_again": new if again is None else again,
            "csrf_token": csrf_token(client, "/account")}


def test_account_page_offers_password_change_export_and_deletion(client, signed_in):
    signed_in("sme")
    html = client.get("/account").get_data(as_text=True)
    assert 'action="/account/password#password"' in html and "Change password" in html
    assert 'href="/account/export"' in html
    assert 'action="/account/delete#delete"' in html and 'name="delete_confirm"' in html


def test_changing_the_password_keeps_this_browser_signed_in_and_ends_the_others(
        app, client, signed_in, token_for):
    user = signed_in("sme")
    headers = token_for(user)
    elsewhere = app.test_client()
    login(elsewhere, user.email)
    response = client.post("/account/password", data=password_form(client),
                           follow_redirects=True)
    assert response.status_code == 200 and response.request.path == "/account"
    assert "Your password was changed" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), user.email, PASSWORD).status_code == 422


@pytest.mark.parametrize("changes, field, message", [
    ({"current": "wrong horse battery"}, "current_password", "The current password is wrong."),
    ({"new": "password123"}, "new_password",
     "This password is among the most common ones; choose another."),
    ({"new": PASSWORD}, "new_password", "Choose a password different from the current one."),
    ({"new": "short"}, "new_password", "Use 8 to 200 characters."),
    ({"again": "tamales de elote 1988"}, "new_password_again", "The two new passwords differ."),
    ({"current": ""}, "current_password", "This field is required."),
])
def test_refused_password_change_is_shown_by_the_field(client, signed_in, changes, field,
                                                       message):
    user = signed_in("sme")
    before = row_counts()
    response = client.post("/account/password", data=password_form(client, **changes))
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), field) == [message]
    assert row_counts() == before
    assert login(client.application.test_client(), user.email).status_code == 302


def test_refused_password_change_speaks_the_readers_language(client, signed_in):
    signed_in("sme", locale="es")
    response = client.post("/account/password?lang=es",
                           data=password_form(client, current="wrong horse battery",
                                              new="password123"))
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "new_password") == [
        "Esta contraseña está entre las más comunes; elija otra."]


def test_download_my_data_is_the_apis_export_as_a_dated_file(app, client, signed_in,
                                                             token_for):
    user = signed_in("mentor")
    headers = token_for(user)
    response = client.get("/account/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="puente-my-data-\d{4}-\d\d-\d\d\.json"',
                        disposition)
    api = app.test_client().get("/api/v1/me/export", headers=headers).get_json()
    data = response.get_json()
    assert data["account"]["email"] == user.email
    data["api_tokens"][0].pop("last_used_at", None)
    api["api_tokens"][0].pop("last_used_at", None)
    assert data["api_tokens"] == api["api_tokens"] and data["account"] == api["account"]
    assert {e["action"] for e in data["audit"]} >= {"user.create", "auth.login"}


def test_download_my_data_needs_sign_in(client):
    assert client.get("/account/export").status_code == 302


def delete_form(client, password=PASSWORD, confirm=True) -> dict:
    data = {"delete_password": password, "csrf_token": csrf_token(client, "/account")}
    return {**data, "delete_confirm": "y"} if confirm else data


def test_deleting_my_account_signs_me_out_with_a_confirmation(app, client, signed_in,
                                                              token_for):
    user = signed_in("sme")
    user_id, headers = user.id, token_for(user)
    response = client.post("/account/delete", data=delete_form(client), follow_redirects=True)
    assert response.request.path == "/"
    assert "Your account was deleted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert client.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize("password, confirm, field, message", [
    ("wrong horse battery", True, "delete_password", "The password is wrong."),
    ("", True, "delete_password", "This field is required."),
    (PASSWORD, False, "delete_confirm", "Tick the box to confirm."),
])
def test_refused_deletion_is_shown_by_the_field_and_deletes_nothing(client, signed_in, password,
                                                                    confirm, field, message):
    signed_in("sme")
    before = row_counts()
    response = client.post("/account/delete", data=delete_form(client, password, confirm))
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), field) == [message]
    assert row_counts() == before
    assert client.get("/account").status_code == 200
