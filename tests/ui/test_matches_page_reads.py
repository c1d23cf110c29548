"""What the matches page reads once and keeps: its filter form per query string and language,
the unread count with the owner's profile, and the session's signed CSRF token."""

from __future__ import annotations

import re
import time

import pytest
from flask_babel import force_locale, gettext
from wtforms.fields.core import UnboundField

from models import Notice, db
from tests.factories import csrf_token, login
from tests.sql_capture import statements_sent
from tests.ui.helpers import field_errors, text_of
from tests.ui.test_profiles import make_profile
from webapp.services import introductions as intro_service
from webapp.services import match_marks
from webapp.ui.matches import FILTER_FIELDS, MatchFilterForm

EN = {"Accept-Language": "en"}


def search_label(html: str) -> str:
    return re.search(r'<label for="q">([^<]*)</label>', html).group(1)


def selected(html: str, field: str) -> str | None:
    select = re.search(rf'<select id="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    found = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                      select)
    return next(v for v in found.groups() if v is not None) if found else None


def test_the_kept_fields_are_the_filter_forms_own():
    """The kept forms are keyed by these fields' values: a field missing here would be
    read from the first query string the form was kept for."""
    fields = {name for name, value in vars(MatchFilterForm).items()
              if isinstance(value, UnboundField)}
    assert set(FILTER_FIELDS) == fields


def test_each_query_string_gets_its_own_form_and_filters(client, sme_with_mentor):
    _, mentor, buyer = sme_with_mentor
    too_long = "x" * 101
    # A bad search shows its error next to the field and does not filter; a good one after it
    # shows none; the bad one again shows it again.
    for q, error, found in ((too_long, True, True), ("zzqxw", False, False),
                            (too_long, True, True), ("", False, True)):
        html = client.get("/matches", query_string={"q": q}, headers=EN).get_data(as_text=True)
        assert bool(field_errors(html, "q")) is error, q
        assert (mentor.name in html) is found, q
    for kind, shown, hidden in (("buyer", buyer, mentor), ("", mentor, buyer),
                                ("buyer", buyer, mentor)):
        html = client.get("/matches", query_string={"kind": kind}, headers=EN).get_data(True)
        assert shown.name in html and hidden.name not in html
        assert selected(html, "kind") == (kind or "mentor")
    html = client.get("/matches?country=CA", headers=EN).get_data(as_text=True)
    assert selected(html, "country") == "CA" and mentor.name not in html
    html = client.get("/matches?cross_border=y", headers=EN).get_data(as_text=True)
    assert 'id="cross_border" name="cross_border" type="checkbox" value="y"' in html
    assert re.search(r'<input checked id="cross_border"|id="cross_border"[^>]*checked', html)
    html = client.get("/matches", headers=EN).get_data(as_text=True)
    assert not re.search(r'id="cross_border"[^>]*checked|checked id="cross_border"', html)


def test_each_language_gets_its_own_form(client, sme_with_mentor):
    seen = {}
    for lang in ("es", "fr", "en", "es"):
        html = client.get(f"/matches?lang={lang}").get_data(as_text=True)
        with force_locale(lang):
            assert search_label(html) == gettext("Search by name or keyword")
            assert f"<option value=\"\">{gettext('All')}</option>" in html
        seen[lang] = search_label(html)
    assert len(set(seen.values())) == 3


def test_each_owner_kind_gets_its_own_choices(client, make_user):
    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    login(client, sme.email)
    html = client.get("/matches", headers=EN).get_data(as_text=True)
    assert 'value="mentor"' in html and 'value="buyer"' in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, mentor.email)
    html = client.get("/matches", headers=EN).get_data(as_text=True)
    kinds = re.search(r'<select id="kind"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'value="(\w+)"', kinds) == ["sme"]
    assert sme.profile.name in html


# -- the unread count, read with the profile ----------------------------------------------------

@pytest.fixture
def waiting_mentor(client, make_user):
    """A mentor with a profile and one unread notice (an SME's request), signed in."""
    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro_service.create_introduction(sme, {"target_id": mentor.profile.id,
                                            "message": "Hola Rosa"})
    login(client, mentor.email)
    return sme, mentor


def badge(html: str) -> str | None:
    found = re.search(r'id="unread-count">(\d+)<', html)
    return found.group(1) if found else None


def test_the_matches_page_counts_unread_notices_as_they_change(client, waiting_mentor,
                                                                make_user):
    _, mentor = waiting_mentor
    assert badge(client.get("/matches", headers=EN).get_data(as_text=True)) == "1"
    other = make_user("sme")
    make_profile(other, "sme")
    intro_service.create_introduction(other, {"target_id": mentor.profile.id,
                                              "message": "Bonjour"})
    assert badge(client.get("/matches", headers=EN).get_data(as_text=True)) == "2"
    for notice in db.session.scalars(db.select(Notice)).all():
        assert client.get(f"/notifications/{notice.id}").status_code == 302
    assert badge(client.get("/matches", headers=EN).get_data(as_text=True)) is None


def test_the_page_reads_the_count_in_the_profiles_statement(client, waiting_mentor, app):
    with statements_sent(db.engine) as statements:
        html = client.get("/matches", headers=EN).get_data(as_text=True)
    assert badge(html) == "1"
    counting = [s for s in statements if "notices" in s]
    assert len(counting) == 1 and "FROM profiles" in counting[0]


def test_a_get_reads_the_cards_marks_and_introductions_in_the_profiles_statement(
        client, waiting_mentor):
    with statements_sent(db.engine) as statements:
        html = client.get("/matches", headers=EN).get_data(as_text=True)
    assert "They asked to be introduced to you." in html
    reading = [s for s in statements if "match_marks" in s or "introductions" in s]
    assert len(reading) == 1 and "FROM profiles" in reading[0] and "notices" in reading[0]


def test_the_saved_list_reads_its_cards_and_count_with_the_profile(client, waiting_mentor):
    sme, mentor = waiting_mentor
    match_marks.set_mark(mentor, mentor.profile, sme.profile.id, match_marks.SAVED)
    with statements_sent(db.engine) as statements:
        html = client.get("/matches/saved", headers=EN).get_data(as_text=True)
    assert sme.profile.name in html and "They asked to be introduced to you." in html
    assert badge(html) == "1"
    reading = [s for s in statements
               if "match_marks" in s or "introductions" in s or "notices" in s]
    assert sum("FROM profiles" in s and "notices" in s for s in reading) == 1, reading
    assert not any("notices" in s and "FROM profiles" not in s for s in reading), reading


def test_a_posted_request_shows_on_its_card_at_once(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    before = client.get("/matches", headers=EN).get_data(as_text=True)
    assert "Introduction requested: waiting for their answer." not in before
    response = client.post("/matches", data={"target_id": str(mentor.id), "message": "Hola",
                                             "csrf_token": csrf_token(client, "/matches")},
                           headers=EN)
    assert response.status_code == 302
    after = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Introduction requested: waiting for their answer." in after


def test_a_refused_request_still_shows_the_count(client, waiting_mentor):
    sme, _ = waiting_mentor
    response = client.post("/matches", data={"target_id": str(sme.profile.id),
                                             "message": "x" * 2001,
                                             "csrf_token": csrf_token(client, "/matches")},
                           headers=EN)
    assert response.status_code == 422
    assert badge(response.get_data(as_text=True)) == "1"


# -- the session's signed CSRF token ------------------------------------------------------------

def page_token(client, path: str = "/matches") -> str:
    return csrf_token(client, path)


def test_one_session_gets_one_token_that_works_and_another_session_its_own(
        app, client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    first, again = page_token(client), page_token(client, "/introductions")
    assert first == again
    other = app.test_client()
    assert page_token(other, "/login") != first
    # The first session's token is refused in the other session, and works in its own.
    refused = other.post("/login", data={"email": "nobody@example.test", "password": "x",
                                         "csrf_token": first}, headers=EN)
    assert refused.status_code == 400
    response = client.post(f"/matches/{mentor.id}/save",
                           data={"csrf_token": first, "view": "all"}, headers=EN)
    assert response.status_code == 303
    assert "Saved" in text_of(client.get("/matches", headers=EN).get_data(as_text=True))


def test_without_a_time_limit_a_session_keeps_its_signed_token(client, sme_with_mentor):
    """Signed once per worker: a page a second later (the signature's time unit) shows the
    same token, which still posts."""
    _, mentor, _ = sme_with_mentor
    first = page_token(client)
    time.sleep(1.1)
    assert page_token(client, "/introductions") == first
    response = client.post(f"/matches/{mentor.id}/hide",
                           data={"csrf_token": first, "view": "all"}, headers=EN)
    assert response.status_code == 303
    assert mentor.name not in client.get("/matches", headers=EN).get_data(as_text=True)


def test_with_a_time_limit_each_page_signs_its_token_anew(app, client, sme_with_mentor):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    first = page_token(client)
    time.sleep(1.1)  # the signature carries the time in seconds
    assert page_token(client) != first
