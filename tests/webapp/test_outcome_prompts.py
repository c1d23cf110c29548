"""Outcome prompts: both parties asked at 2, 6 and 12 weeks after acceptance, once each,
in their language, until the ladder ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import Introduction, db
from tests.intro_factories import act, make_party, outbox, request_intro
from webapp.services.sweep import sweep_introductions


@pytest.fixture
def accepted(client, as_role):
    """An SME (en) and a buyer (fr) whose introduction was accepted: ``(sme, buyer, row)``."""
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer", locale="fr")
    intro = request_intro(client, sme, buyer)
    assert act(client, buyer, intro["id"], "accept").status_code == 200
    return sme, buyer, db.session.get(Introduction, intro["id"])


def prompts(user_id: int) -> list:
    return [m for m in outbox(user_id) if m.template == "outcome_prompt"]


def test_parties_are_asked_at_two_six_and_twelve_weeks_once_each(accepted):
    sme, buyer, intro = accepted
    start = intro.responded_at
    assert sweep_introductions(start + timedelta(days=13), deliver=False).prompted == 0
    for weeks in (2, 6, 12):
        now = start + timedelta(weeks=weeks, minutes=1)
        assert sweep_introductions(now, deliver=False).prompted == 1
        assert sweep_introductions(now, deliver=False).prompted == 0  # never twice
    assert sweep_introductions(start + timedelta(weeks=30), deliver=False).prompted == 0
    mine, theirs = prompts(sme.user_id), prompts(buyer.user_id)
    assert len(mine) == len(theirs) == 3
    assert theirs[0].locale == "fr" and "semaines" in theirs[0].body
    assert "2 weeks" in mine[0].body and "12 weeks" in mine[-1].body
    assert f"/introductions?report={intro.id}#report-step-{intro.id}" in mine[0].body  # the form


def test_a_late_sweep_sends_only_the_latest_prompt_due(accepted):
    # The job runner sweeps every minute: prompts missed while it was down (or an introduction
    # accepted long ago) must not arrive as a burst of e-mails a minute apart.
    sme, buyer, intro = accepted
    late = intro.responded_at + timedelta(weeks=7)
    assert sweep_introductions(late, deliver=False).prompted == 1
    assert sweep_introductions(late + timedelta(minutes=1), deliver=False).prompted == 0
    [mine] = prompts(sme.user_id)
    assert "6 weeks" in mine.body and len(prompts(buyer.user_id)) == 1
    assert sweep_introductions(intro.responded_at + timedelta(weeks=12, minutes=1),
                               deliver=False).prompted == 1
    assert "12 weeks" in prompts(sme.user_id)[-1].body
    assert sweep_introductions(intro.responded_at + timedelta(weeks=40),
                               deliver=False).prompted == 0


def test_no_prompt_once_the_ladder_ended(client, accepted):
    sme, buyer, intro = accepted
    today = datetime.now(UTC).date().isoformat()
    step = client.post(f"/api/v1/introductions/{intro.id}/outcomes", headers=sme.headers,
                       json={"stage": "ended", "reason": "price", "occurred_on": today})
    assert step.status_code == 201
    assert sweep_introductions(intro.responded_at + timedelta(weeks=3),
                               deliver=False).prompted == 0
    assert prompts(sme.user_id) == [] and prompts(buyer.user_id) == []


def test_requests_not_accepted_are_not_prompted(client, as_role):
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    created = db.session.get(Introduction, intro["id"]).created_at
    assert sweep_introductions(created + timedelta(weeks=3), deliver=False).prompted == 0


def step_prompts(user_id: int, template: str) -> list:
    return [m for m in outbox(user_id) if m.template == template]


def report(client, party, intro_id, **body):
    today = datetime.now(UTC).date().isoformat()
    response = client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=party.headers,
                           json={"occurred_on": today, **body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def answer(client, party, intro_id, step_id, action, **body):
    return client.post(f"/api/v1/introductions/{intro_id}/outcomes/{step_id}/{action}",
                       headers=party.headers, json=body)


def test_a_reported_step_asks_the_other_party_to_confirm_it(client, accepted):
    sme, buyer, intro = accepted
    step = report(client, sme, intro.id, stage="order_placed", amount="500", currency="USD")
    [asked] = step_prompts(buyer.user_id, "outcome_confirm_request")
    assert asked.locale == "fr" and "Commande passée" in asked.subject
    assert f"/introductions?report={intro.id}#outcome-step-{step['id']}" in asked.body
    assert step_prompts(sme.user_id, "outcome_confirm_request") == []  # not the reporter


def test_a_confirmed_step_asks_both_parties_for_the_next_one(client, accepted):
    sme, buyer, intro = accepted
    met = report(client, sme, intro.id, stage="met")
    assert step_prompts(sme.user_id, "outcome_next_step") == []  # not before it is confirmed
    assert answer(client, buyer, intro.id, met["id"], "confirm").status_code == 200
    [mine], [theirs] = (step_prompts(p.user_id, "outcome_next_step") for p in (sme, buyer))
    assert mine.subject == "Step confirmed: Met. What happened next?"
    assert f"/introductions?report={intro.id}#report-step-{intro.id}" in mine.body
    assert theirs.locale == "fr"
    # a disputed step asks for nothing more; a confirmed end of the ladder neither
    quote = report(client, buyer, intro.id, stage="quote_sent")
    assert answer(client, sme, intro.id, quote["id"], "dispute", note="No quote yet.")
    ended = report(client, buyer, intro.id, stage="ended", reason="price")
    assert answer(client, sme, intro.id, ended["id"], "confirm").status_code == 200
    assert len(step_prompts(sme.user_id, "outcome_next_step")) == 1
    assert len(step_prompts(buyer.user_id, "outcome_next_step")) == 1


def test_a_step_confirmed_after_the_ladder_ended_asks_for_no_next_step(client, accepted):
    """The order reported, then the end: confirming the order asked both "What happened
    next?", though the ladder has ended and any step would be refused."""
    sme, buyer, intro = accepted
    order = report(client, sme, intro.id, stage="order_placed", amount="500", currency="USD")
    report(client, sme, intro.id, stage="ended", reason="logistics")
    assert answer(client, buyer, intro.id, order["id"], "confirm").status_code == 200
    assert step_prompts(sme.user_id, "outcome_next_step") == []
    assert step_prompts(buyer.user_id, "outcome_next_step") == []


def test_sweeps_deliver_the_step_prompts_once(client, accepted):
    sme, buyer, intro = accepted
    met = report(client, sme, intro.id, stage="met")
    assert answer(client, buyer, intro.id, met["id"], "confirm").status_code == 200
    queued = [m.id for m in outbox() if m.template.startswith("outcome_")]
    assert len(queued) == 3  # confirm request to the buyer, next step to both
    now = datetime.now(UTC)
    first = sweep_introductions(now)
    second = sweep_introductions(now)
    db.session.expire_all()
    assert [m.id for m in outbox() if m.template.startswith("outcome_")] == queued
    assert all(m.status == "logged" for m in outbox() if m.id in queued)  # no mail server
    assert first.delivery.logged >= 3 and second.delivery.logged == 0
