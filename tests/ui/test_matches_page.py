"""My matches page (webapp/ui/matches.py)."""

from __future__ import annotations

import pytest

from models import Introduction, db
from tests.factories import csrf_token, row_counts
from tests.ui.helpers import text_of
from tests.ui.test_profiles import make_profile
from webapp.ui.matches import bar_width


@pytest.fixture
def sme_with_mentor(signed_in, make_user):
    """Sign in an SME with a profile; create a mentor and a buyer to match; return them."""
    sme = signed_in("sme")
    own = make_profile(sme, "sme")
    mentor = make_profile(make_user("mentor"), "mentor")
    buyer = make_profile(make_user("buyer"), "buyer")
    return own, mentor, buyer


def ask(client, target_id, message="Hola, ¿nos ayuda con IATF 16949?", path="/matches"):
    return client.post(path, data={"target_id": str(target_id), "message": message,
                                   "csrf_token": csrf_token(client, "/matches")},
                       headers={"Accept-Language": "en"})


@pytest.mark.parametrize(("score", "width"), [(0.0, 0), (0.42, 40), (0.43, 45), (1.0, 100),
                                               (1.3, 100), (-0.1, 0)])
def test_bar_width_is_the_score_in_steps_of_five(score, width):
    assert bar_width(score) == width


def test_user_without_profile_is_sent_to_the_editor(client, signed_in):
    signed_in("sme")
    response = client.get("/matches")
    assert response.status_code == 302 and response.location.endswith("/profile")


def test_visitors_are_sent_to_log_in(client):
    assert client.get("/matches").status_code == 302


def test_sme_sees_ranked_mentors_with_bar_and_reasons(client, sme_with_mentor):
    _, mentor, buyer = sme_with_mentor
    response = client.get("/matches", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert mentor.name in html and buyer.name not in html
    assert 'class="w-' in html and "style=" not in html.split("<main", 1)[-1]
    assert 'class="reasons"' in html and "<li>" in html.split('class="reasons"')[1]
    assert "rosa@mentor.example" not in html  # no contact details before acceptance


def test_kind_filter_shows_buyers(client, sme_with_mentor):
    _, mentor, buyer = sme_with_mentor
    html = client.get("/matches?kind=buyer").get_data(as_text=True)
    assert buyer.name in html and mentor.name not in html


def test_bad_filter_values_fall_back_to_defaults(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    response = client.get("/matches?kind=sme&country=ZZ")
    assert response.status_code == 200 and mentor.name in response.get_data(as_text=True)


def test_country_and_cross_border_filters(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    assert mentor.name in client.get("/matches?cross_border=y").get_data(as_text=True)
    html = client.get("/matches?country=CA").get_data(as_text=True)
    assert mentor.name not in html and "No matches with these filters" in text_of(html)


def test_reasons_are_in_the_users_language(client, sme_with_mentor):
    en = text_of(client.get("/matches", headers={"Accept-Language": "en"}).get_data(True))
    es = text_of(client.get("/matches?lang=es").get_data(True))
    assert "Mis coincidencias" in es and "Solicitar presentación" in es
    assert "Request introduction" in en and en != es


def test_request_introduction_creates_it_and_flashes(client, sme_with_mentor):
    own, mentor, _ = sme_with_mentor
    response = ask(client, mentor.id)
    assert response.status_code == 302
    intro = db.session.scalars(db.select(Introduction)).one()
    assert (intro.requester_id, intro.target_id, intro.state) == (own.id, mentor.id, "requested")
    html = client.get(response.location).get_data(as_text=True)
    assert "Introduction requested" in html


def test_second_request_shows_a_conflict_by_the_message_box(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    ask(client, mentor.id)
    before = row_counts()
    response = ask(client, mentor.id, message="again")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="message-{mentor.id}-error"' in html
    assert "open introduction with this profile" in html
    assert row_counts() == before


@pytest.mark.parametrize("target", ["999999", "abc", ""])
def test_bad_target_is_a_form_error_and_writes_nothing(client, sme_with_mentor, target):
    before = row_counts()
    response = ask(client, target)
    assert response.status_code == 422
    assert row_counts() == before


def test_too_long_message_is_refused(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    before = row_counts()
    response = ask(client, mentor.id, message="x" * 2001)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="message-{mentor.id}-error"' in html
    assert "x" * 2001 in html  # the text is kept for correction
    assert "Use at most 2000 characters." in html
    assert row_counts() == before


def test_missing_csrf_token_writes_nothing(client, sme_with_mentor):
    _, mentor, _ = sme_with_mentor
    before = row_counts()
    response = client.post("/matches", data={"target_id": str(mentor.id), "message": "hi"})
    assert response.status_code in (400, 422)
    assert row_counts() == before


def test_staff_are_sent_to_the_profile_list(client, signed_in):
    signed_in("coordinator")
    response = client.get("/matches")
    assert response.status_code == 302 and "/profiles" in response.location


def test_matches_entry_appears_in_the_navigation(client, sme_with_mentor):
    assert 'href="/matches"' in client.get("/profile").get_data(as_text=True)
