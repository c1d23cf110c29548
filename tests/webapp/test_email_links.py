"""E-mails link to the pages, on the configured site, in the reader's language."""

from __future__ import annotations

import re

import pytest

from models import User, db
from tests.conftest import FreshContextClient
from tests.factories import app_config, login
from tests.intro_factories import make_party, outbox, request_intro
from webapp import create_app

SITE = "https://puente.example.org"


@pytest.fixture
def site_client(app, database_url):
    """A client of an app served at SITE (the ``app`` fixture empties the tables after)."""
    app = create_app({**app_config(database_url), "PUENTE_BASE_URL": SITE + "/"})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app.test_client()
        db.session.remove()
        db.engine.dispose()


def test_an_introduction_email_opens_the_inbox_entry(site_client, as_role):
    sme = make_party(site_client, as_role, "sme")
    mentor = make_party(site_client, as_role, "mentor", locale="fr")
    intro = request_intro(site_client, sme, mentor)
    [message] = outbox(mentor.user_id)
    assert message.locale == "fr" and "souhaite" in message.subject
    [url] = re.findall(r"https?://\S+", message.body)
    assert url == f"{SITE}/introductions/{intro['id']}"
    path = url.removeprefix(SITE)
    assert site_client.get(path).headers["Location"].startswith("/login?next=")
    email = db.session.get(User, mentor.user_id).email
    login(site_client, email)
    opened = site_client.get(path)
    assert opened.headers["Location"] == f"/introductions#introduction-{intro['id']}"
    inbox = site_client.get("/introductions").get_data(as_text=True)
    assert f'id="introduction-{intro["id"]}"' in inbox


def test_someone_else_gets_the_404_of_an_unknown_introduction(site_client, as_role):
    sme = make_party(site_client, as_role, "sme")
    mentor = make_party(site_client, as_role, "mentor")
    outsider = make_party(site_client, as_role, "buyer")
    intro = request_intro(site_client, sme, mentor)
    email = db.session.get(User, outsider.user_id).email
    login(site_client, email)
    assert site_client.get(f"/introductions/{intro['id']}").status_code == 404
    assert site_client.get("/introductions/987654").status_code == 404


def test_account_emails_use_the_configured_site(site_client, make_user):
    from webapp.services import recovery

    make_user("sme", email="a@example.test", locale="es")
    recovery.request_reset("a@example.test")
    [message] = outbox()
    assert message.locale == "es"
    assert re.findall(r"https?://\S+", message.body)[0].startswith(f"{SITE}/password/reset/")
