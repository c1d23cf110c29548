"""Training labels are graded by the furthest confirmed step of each introduction's ladder."""

from __future__ import annotations

import pytest

from models import Introduction, db
from tests.factories import today
from tests.intro_factories import act, make_party, request_intro
from webapp.services.outcomes import label, labelled_introductions


@pytest.fixture
def parties(client, as_role):
    return make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")


def accepted_intro(client, sme, buyer) -> int:
    intro = request_intro(client, sme, buyer)
    assert act(client, buyer, intro["id"], "accept").status_code == 200
    return intro["id"]


def step(client, reporter, answerer, intro_id, **body) -> None:
    """Report a step as one party and confirm it as the other."""
    reported = client.post(f"/api/v1/introductions/{intro_id}/outcomes",
                           headers=reporter.headers, json={"occurred_on": today(), **body})
    assert reported.status_code == 201, reported.get_json()
    url = f"/api/v1/introductions/{intro_id}/outcomes/{reported.get_json()['id']}/confirm"
    assert client.post(url, headers=answerer.headers, json={}).status_code == 200


def grade(intro_id: int) -> int | None:
    db.session.expire_all()
    return label(db.session.get(Introduction, intro_id))


ORDER = {"stage": "order_placed", "amount": "1000", "currency": "USD"}
REPEAT = {"stage": "repeat_order", "amount": "900", "currency": "USD"}


def test_grades_follow_the_furthest_confirmed_step(client, parties):
    sme, buyer = parties
    intro_id = accepted_intro(client, sme, buyer)
    assert grade(intro_id) == 1  # accepted
    step(client, sme, buyer, intro_id, stage="met")
    assert grade(intro_id) == 2
    reported = client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=buyer.headers,
                           json={"occurred_on": today(), **ORDER}).get_json()
    assert grade(intro_id) == 2  # reported, not yet confirmed
    assert client.post(f"/api/v1/introductions/{intro_id}/outcomes/{reported['id']}/dispute",
                       headers=sme.headers, json={"note": "No order yet."}).status_code == 200
    assert grade(intro_id) == 2  # disputed
    step(client, sme, buyer, intro_id, **ORDER)
    assert grade(intro_id) == 3
    step(client, sme, buyer, intro_id, **REPEAT)
    assert grade(intro_id) == 4


def test_mentorship_sessions_and_goals_grade_like_meetings_and_orders(client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro_id = accepted_intro(client, sme, mentor)
    step(client, sme, mentor, intro_id, stage="session", minutes=60)
    assert grade(intro_id) == 2
    step(client, mentor, sme, intro_id, stage="goal_achieved", goal="first_export")
    assert grade(intro_id) == 3


def test_a_fit_decline_is_0_and_train_model_reports_the_grades(client, runner, parties,
                                                               as_role):
    sme, buyer = parties
    ordered = accepted_intro(client, sme, buyer)
    step(client, sme, buyer, ordered, **ORDER)
    other = make_party(client, as_role, "buyer", name="Another buyer")
    declined = request_intro(client, sme, other)["id"]
    assert act(client, other, declined, "decline", reason_code="not_a_fit").status_code == 200
    assert grade(declined) == 0
    assert {i.id: y for i, y in labelled_introductions()} == {ordered: 3, declined: 0}
    result = runner.invoke(args=["train-model"])
    assert result.exit_code == 0, result.output
    version = client.get("/api/v1/models", headers=as_role("coordinator")[1]).get_json()
    grades = version["items"][0]["metrics"]["trade_buyer"]["grades"]
    assert grades == {"0": 1, "1": 0, "2": 0, "3": 1, "4": 0}
