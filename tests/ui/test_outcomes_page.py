"""The outcome ladder on the introductions page (webapp/ui/outcomes.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models import OutcomeStep, db
from tests.factories import csrf_token, login
from tests.ui.helpers import text_of
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states as states
from webapp.services import introductions as service

TODAY = datetime.now(UTC).date().isoformat()


@pytest.fixture
def mentorship(make_user):
    """An SME and a mentor whose introduction the mentor accepted."""
    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = service.create_introduction(sme, {"target_id": mentor.profile.id, "message": "Hola"})
    states.accept(mentor, intro.id)
    return sme, mentor, intro.id


def post(client, url, **data):
    data["csrf_token"] = csrf_token(client, "/introductions")
    return client.post(url, data=data, headers={"Accept-Language": "en"})


def page(client, lang="en") -> str:
    return text_of(client.get("/introductions", headers={"Accept-Language": lang})
                   .get_data(True))


def steps() -> list[OutcomeStep]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutcomeStep).order_by(OutcomeStep.id)))


def test_a_session_reported_on_the_page_is_confirmed_by_the_other_party(client, mentorship):
    sme, mentor, intro_id = mentorship
    login(client, sme.email)
    assert "Report a step" in page(client)
    done = post(client, f"/introductions/{intro_id}/outcomes", stage="session",
                occurred_on=TODAY, minutes="45")
    assert done.status_code == 302
    assert [(s.stage, s.minutes, s.status) for s in steps()] == [("session", 45, "reported")]
    assert "Awaiting confirmation" in page(client)
    client.get("/logout")
    login(client, mentor.email)
    assert "Sesión de mentoría" in text_of(client.get("/introductions?lang=es").get_data(True))
    step_id = steps()[0].id
    post(client, f"/introductions/{intro_id}/outcomes/{step_id}/confirm")
    assert steps()[0].status == "confirmed"
    assert "Confirmed" in page(client)


def test_a_bad_step_on_the_page_is_explained_and_writes_nothing(client, mentorship):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    response = post(client, f"/introductions/{intro_id}/outcomes", stage="session",
                    occurred_on="2999-01-01", minutes="45")
    assert response.status_code == 302
    assert "The date cannot be in the future." in page(client)
    assert steps() == []


def test_a_party_cannot_confirm_its_own_step_on_the_page(client, mentorship):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes", stage="session", occurred_on=TODAY,
         minutes="30")
    post(client, f"/introductions/{intro_id}/outcomes/{steps()[0].id}/confirm")
    assert steps()[0].status == "reported"
