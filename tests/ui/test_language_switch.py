"""Which language a signed-in browser reads: the one it chose (its cookie), whatever a worker
still remembers of the account's preference; signing in takes the preference
(webapp/i18n.py, the switcher in webapp/ui/views.py)."""

from __future__ import annotations

import re

from models import User, db
from tests.factories import csrf_token, login
from webapp.services import accounts


def language_of(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


def switch(client, lang: str) -> None:
    response = client.post("/language", data={"lang": lang, "next": "/account",
                                              "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302


def test_a_browser_keeps_the_language_it_chose_while_the_worker_remembers_the_old_one(
        app, client, signed_in):
    app.config["PUENTE_ACCOUNT_CACHE_MS"] = 60_000
    user = signed_in("sme", locale="en")
    assert language_of(client.get("/account")) == "en"  # this worker keeps the account
    # The switch as another worker makes it: the preference and the cookie change, this
    # worker's remembered account does not (its cache is emptied only by its own writes).
    other = app.test_client()
    other.set_cookie("puente_lang", "fr")
    with db.engine.begin() as connection:
        connection.execute(db.update(User).where(User.id == user.id).values(locale="fr"))
    client.set_cookie("puente_lang", "fr")
    page = client.get("/account")
    assert language_of(page) == "fr"
    assert '<option selected value="fr">Français</option>' in page.get_data(as_text=True)


def test_another_device_switching_does_not_flip_this_browser_until_it_signs_in_again(
        client, signed_in):
    user = signed_in("mentor", locale="en")
    switch(client, "fr")
    accounts.set_locale(db.session.get(User, user.id), "es")  # switched on a phone
    assert language_of(client.get("/")) == "fr"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert login(client, user.email).status_code == 302
    assert language_of(client.get("/")) == "es"  # signing in takes the preference


def test_without_the_cookie_the_preference_speaks(client, signed_in):
    signed_in("buyer", locale="es")
    client.delete_cookie("puente_lang")
    assert language_of(client.get("/account")) == "es"


def test_a_page_asked_in_a_language_sends_a_visitor_to_a_login_page_in_it(client):
    """A link such as /matches?lang=fr opened while signed out led to an English login page:
    the language the link asked for was left inside ``next``."""
    response = client.get("/matches?lang=fr", headers={"Accept-Language": "en"})
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    html = login_page.get_data(as_text=True)
    assert '<html lang="fr"' in html and "Se connecter" in html
