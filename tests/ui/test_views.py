"""Home, sign up, log in and out, and the language switcher (webapp/ui/views.py)."""

from __future__ import annotations

import pytest

from models import User, db
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import field_errors, text_of


def signup_data(client, **changes) -> dict:
    data = {"role": "sme", "email": "nueva@example.test", "password": "long enough",
            "locale": "es", "csrf_token": csrf_token(client, "/signup")}
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_home_explains_the_service_and_offers_sign_up(client):
    html = client.get("/").get_data(as_text=True)
    assert "Cross-border partners for small businesses" in html
    assert 'href="/signup"' in html and 'href="/login"' in html


def test_sign_up_creates_the_account_then_login_opens_the_profile_editor(client):
    response = client.post("/signup", data=signup_data(client, role="mentor"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/profile"
    user = db.session.scalar(db.select(User).where(User.email == "nueva@example.test"))
    assert (user.role, user.locale) == ("mentor", "es")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hemos enviado un mensaje a la dirección que indicó" in page
    response = client.post("/login?next=/profile", data={
        "email": "nueva@example.test", "password": "long enough",
        "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/profile"
    assert "Nuevo perfil: Mentor" in client.get("/profile").get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"password": "short"}, "password", "Use 8 to 200 characters."),
    ({"email": "not-an-address"}, "email", "Enter a valid e-mail address."),
    ({"email": ""}, "email", "This field is required."),
    ({"role": None}, "role", "Choose what kind of account you need."),
    ({"role": "admin"}, "role", "Not a valid choice."),
])
def test_bad_sign_up_shows_the_error_by_the_field_and_writes_nothing(client, changes, field,
                                                                     message):
    before = row_counts()
    response = client.post("/signup", data=signup_data(client, locale="en", **changes),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field)
    assert row_counts() == before
    assert client.get("/api/v1/me").status_code == 401


def test_sign_up_with_a_registered_email_changes_nothing_and_says_nothing(client, make_user):
    """The answer is a new sign-up's (tests/security/test_enumeration.py); the owner is told."""
    owner = make_user("buyer", email="taken@example.test")
    response = client.post("/signup", data=signup_data(client, email="Taken@example.test"),
                           headers={"Accept-Language": "fr"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert db.session.get(User, owner.id).role == "buyer"
    assert client.get("/api/v1/me").status_code == 401


def test_sign_up_offers_the_visitors_language_first(client):
    html = client.get("/signup", headers={"Accept-Language": "fr-CA,fr;q=0.9"}).get_data(
        as_text=True)
    assert '<option selected value="fr">Français</option>' in html
    assert "Créer un compte" in html


def test_signed_in_user_is_sent_home_from_sign_up(client, signed_in):
    signed_in("sme")
    assert client.get("/signup").status_code == 302


def test_login_error_is_translated(client, make_user):
    user = make_user("sme", locale="es")
    response = client.post("/login", data={"email": user.email, "password": "wrong password",
                                           "csrf_token": csrf_token(client)},
                           headers={"Accept-Language": "es"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "password") == [
        "Correo o contraseña incorrectos."]


def test_logout_says_goodbye_in_the_users_language(client, signed_in):
    signed_in("buyer", locale="fr")
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")},
                           follow_redirects=True)
    assert "Vous êtes déconnecté." in text_of(response.get_data(as_text=True))


def test_language_switch_sets_a_cookie_for_visitors(client):
    response = client.post("/language", data={"lang": "fr", "next": "/login",
                                              "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "puente_lang=fr" in response.headers["Set-Cookie"]
    assert "Se connecter" in client.get("/login").get_data(as_text=True)


def test_language_switch_sets_the_preference_of_a_signed_in_user(client, signed_in):
    user = signed_in("mentor")
    client.post("/language", data={"lang": "es", "next": "/account",
                                   "csrf_token": csrf_token(client, "/account")})
    db.session.refresh(user)
    assert user.locale == "es"
    client.delete_cookie("puente_lang")
    assert "Cuenta" in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("data", [{"lang": "de"}, {"lang": "es", "csrf_token": ""}])
def test_language_switch_refuses_bad_input(client, data):
    data = {"csrf_token": csrf_token(client, "/"), **data}
    assert client.post("/language", data=data).status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language", data={"lang": "es", "next": target,
                                              "csrf_token": csrf_token(client, "/")})
    assert response.headers["Location"] == "/"


def test_switcher_on_every_page_returns_to_the_page_without_lang(client):
    html = client.get("/login?lang=fr&next=/account").get_data(as_text=True)
    assert 'name="next" value="/login?next=%2Faccount"' in html
    assert 'value="fr" lang="fr" aria-current="true"' in html


def test_login_next_keeps_going_after_sign_in(client, make_user):
    user = make_user("sme")
    response = client.post("/login?next=/account", data={
        "email": user.email, "password": "correct horse battery",
        "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/account"
    assert login(client, user.email).status_code == 302
