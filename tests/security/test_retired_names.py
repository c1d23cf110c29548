"""A retired profile (its account or profile deleted) is named in the reader's language
wherever Puente names it — the introductions, home, conversation, notifications, dashboard,
profiles and cohort pages, the notices and the e-mails — and its empty city leaves no stray
"None" or comma in its place (issue 5: no English on the page for the strings the app owns;
README: a retired profile shows city null)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from matcher.taxonomy import country_name
from models import Notice, User, db, utcnow
from tests.factories import login, today
from tests.intro_factories import act, make_party, outbox, request_intro
from tests.ui.helpers import text_of
from tests.ui.test_cohorts_page import allocation, post_form, run
from tests.ui.test_profiles import make_profile
from webapp.services.outcome_prompts import prompt_parties

PASSWORD = "correct horse battery"
NAMES = {"en": "(deleted profile)", "es": "(perfil eliminado)", "fr": "(profil supprimé)"}
ENGLISH = NAMES["en"]
LANGS = pytest.mark.parametrize("lang", list(NAMES))


def delete_account(client, headers) -> None:
    response = client.delete("/api/v1/me", headers=headers, json={"password": PASSWORD})
    assert response.status_code == 204, response.get_json()
    db.session.expire_all()


def named_as_retired(text: str, lang: str) -> bool:
    """Tell whether the text names the retired profile in ``lang``, and in no other wording."""
    return NAMES[lang] in text and (lang == "en" or ENGLISH not in text)


def in_future(days: int) -> str:
    return (utcnow() + timedelta(days=days)).replace(microsecond=0).isoformat()


@pytest.fixture
def world(client, as_role, lang):
    """An SME that traded with a buyer (request accepted, a step reported, a message written,
    a meeting proposed) and asked a mentor for an introduction, then deleted its account; the
    buyer and the mentor read in ``lang``."""
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer", locale=lang)
    mentor = make_party(client, as_role, "mentor", locale=lang)
    trade = request_intro(client, sme, buyer)["id"]
    asked = request_intro(client, sme, mentor)["id"]
    assert act(client, buyer, trade, "accept").status_code == 200
    base = f"/api/v1/introductions/{trade}"
    assert client.post(f"{base}/outcomes", headers=sme.headers,
                       json={"occurred_on": today(), "stage": "met"}).status_code == 201
    assert client.post(f"{base}/messages", headers=sme.headers,
                       json={"body": "Hola"}).status_code == 201
    assert client.post(f"{base}/meetings", headers=sme.headers,
                       json={"times": [in_future(3)]}).status_code == 201
    delete_account(client, sme.headers)
    return {"sme": sme, "buyer": buyer, "mentor": mentor, "trade": trade, "asked": asked}


def sign_in(app, user_id: int):
    """Return a new client signed in as the user."""
    client = app.test_client()
    assert login(client, db.session.get(User, user_id).email).status_code == 302
    return client


def section(html: str, start: str, end: str) -> str:
    """Return the text from the end of the tag where ``start`` is to ``end``."""
    return text_of(html.split(start, 1)[1].split(">", 1)[1].split(end, 1)[0])


# -- pages of the parties ----------------------------------------------------------------------

@LANGS
def test_the_inbox_names_a_retired_party_in_the_readers_language(app, world, lang):
    buyer = sign_in(app, world["buyer"].user_id)
    html = buyer.get(f"/introductions?lang={lang}").get_data(True)
    entry = section(html, f'id="introduction-{world["trade"]}"', "</h3>")
    assert entry == f"{NAMES[lang]} ({country_name('MX', lang)})"
    assert named_as_retired(text_of(html), lang)


@LANGS
def test_the_home_page_names_a_retired_party_in_the_readers_language(app, world, lang):
    buyer = sign_in(app, world["buyer"].user_id)
    html = buyer.get(f"/?lang={lang}").get_data(True)
    steps = section(html, 'id="steps-to-confirm"', "</section>")
    assert named_as_retired(steps, lang)


@LANGS
def test_the_conversation_names_a_retired_party_and_its_writings(app, world, lang):
    buyer = sign_in(app, world["buyer"].user_id)
    html = buyer.get(f"/introductions/{world['trade']}/conversation?lang={lang}").get_data(True)
    name, text = NAMES[lang], text_of(html)
    heading = section(html, "<h1", "</h1>")
    assert name in heading and section(html, "<title", "</title>") == f"{heading} · Puente"
    assert f"{name} ({country_name('MX', lang)})" in text
    assert section(html, 'class="message"', "</p>").startswith(f"{name} · ")
    assert name in section(html, 'class="match meeting"', "</h3>")
    assert named_as_retired(text, lang)


@LANGS
def test_notices_name_a_retired_party_in_the_readers_language(app, client, world, lang):
    told = client.get(f"/api/v1/notifications?lang={lang}",
                      headers=world["mentor"].headers).get_json()["items"]
    withdrawn = [n["message"] for n in told if n["kind"] == "withdrawn"]
    assert len(withdrawn) == 1 and withdrawn[0].startswith(f"{NAMES[lang]} ")
    assert all(named_as_retired(n["message"], lang) for n in told)
    buyer = sign_in(app, world["buyer"].user_id)
    shown = text_of(buyer.get(f"/notifications?lang={lang}").get_data(True))
    kinds = {n.kind for n in db.session.scalars(db.select(Notice).where(
        Notice.user_id == world["buyer"].user_id))}
    assert {"message", "step_to_confirm"} <= kinds
    assert named_as_retired(shown, lang)


@LANGS
def test_emails_name_a_retired_party_in_the_readers_language(world, lang):
    assert prompt_parties(world["trade"], 0, 1, utcnow())
    [prompt] = [m for m in outbox(world["buyer"].user_id) if m.template == "outcome_prompt"]
    assert prompt.locale == lang
    assert named_as_retired(prompt.subject, lang) and named_as_retired(prompt.body, lang)


# -- pages of the staff ------------------------------------------------------------------------

@LANGS
def test_the_dashboard_names_a_retired_party_in_the_readers_language(app, make_user, world,
                                                                     lang):
    staff = sign_in(app, make_user("coordinator").id)
    html = staff.get(f"/dashboard?lang={lang}").get_data(True)
    heading = section(html, f'id="introduction-{world["trade"]}"', "</h3>")
    assert heading.startswith(f"#{world['trade']} {NAMES[lang]} ({country_name('MX', lang)}) → ")
    assert named_as_retired(text_of(html), lang)


@LANGS
def test_the_profiles_list_names_a_retired_profile_without_its_city(app, make_user, world,
                                                                    lang):
    staff = sign_in(app, make_user("coordinator").id)
    html = staff.get(f"/profiles?kind=sme&lang={lang}").get_data(True)
    row = re.search(rf'<tr>\s*<td[^>]*><a href="/profiles/{world["sme"].id}">.*?</tr>', html,
                    re.S)[0]
    assert text_of(row).startswith(f"{NAMES[lang]} Chihuahua ")
    assert named_as_retired(text_of(html), lang)


@pytest.fixture
def no_queue(app):
    """The app without Redis: a queued allocation waits for the runner."""
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)


@LANGS
def test_the_cohort_page_names_a_retired_profile_in_the_readers_language(
        app, client, make_user, token_for, no_queue, lang):
    smes = [make_profile(make_user("sme"), "sme", name=f"Taller {i}") for i in range(2)]
    mentor = make_profile(make_user("mentor"), "mentor", name="Rosa Mentora", capacity=2)
    assert login(client, make_user("coordinator").email).status_code == 302
    proposal = run(client, allocation(client, smes, [mentor]))
    assert post_form(client, proposal, "confirm").status_code == 302
    gone = smes[0]  # with an introduction now: retired, not removed
    delete_account(app.test_client(), token_for(gone.user))  # no staff session: no CSRF
    html = client.get(f"/cohorts/{proposal}?lang={lang}").get_data(True)
    shown = re.findall(rf'<a href="/profiles/{gone.id}">(.*?)</a>\s*<span class="muted">'
                       r"\((.*?)\)</span>", html)
    assert shown and set(shown) == {(NAMES[lang], f"#{gone.id}, {country_name('MX', lang)}")}
    assert named_as_retired(text_of(html), lang)
