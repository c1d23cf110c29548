"""Answers to one outcome step arriving at the same moment: one wins, and the prompts that
follow a confirmed step are queued once.

Runs on the test database (SQLite file, or PostgreSQL with TEST_DATABASE_URL); every thread
sends a real HTTP request through its own test client, app context and connection.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from models import OutboxMessage, OutcomeStep, db
from tests.db.test_capacity_concurrency import run_at_once
from tests.intro_factories import act, make_party, request_intro

THREADS = 8


def test_simultaneous_confirmations_confirm_once_and_prompt_once(app, client, as_role):
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    intro_id = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro_id, "accept").status_code == 200
    step = client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=sme.headers,
                       json={"stage": "met", "occurred_on": datetime.now(UTC).date().isoformat()})
    assert step.status_code == 201
    _, staff = as_role("coordinator")
    url = f"/api/v1/introductions/{intro_id}/outcomes/{step.get_json()['id']}/confirm"
    calls = [(lambda c: c.post(url, headers=buyer.headers, json={})) if i % 2 else
             (lambda c: c.post(url, headers=staff, json={"note": "Confirmed by phone."}))
             for i in range(THREADS)]
    responses = run_at_once(app, calls)
    statuses = Counter(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == {200: 1, 409: THREADS - 1}, statuses
    db.session.expire_all()
    assert db.session.scalar(db.select(OutcomeStep.status)) == "confirmed"
    told = Counter(db.session.execute(db.select(OutboxMessage.user_id, OutboxMessage.template)
                                      .where(OutboxMessage.template.like("outcome_%"))).all())
    assert told == {(buyer.user_id, "outcome_confirm_request"): 1,
                    (sme.user_id, "outcome_next_step"): 1,
                    (buyer.user_id, "outcome_next_step"): 1}


def test_simultaneous_sweeps_deliver_each_step_prompt_once(app, client, as_role):
    from webapp.services.sweep import sweep_introductions

    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    intro_id = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro_id, "accept").status_code == 200
    client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=sme.headers,
                json={"stage": "met", "occurred_on": datetime.now(UTC).date().isoformat()})
    queued = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))

    def sweep(_client):
        with app.app_context():
            return sweep_introductions().delivery.logged

    delivered = run_at_once(app, [sweep] * 4)
    assert all(isinstance(n, int) for n in delivered), delivered
    assert sum(delivered) == queued  # every message once, whichever sweep took it
    db.session.expire_all()
    assert set(db.session.scalars(db.select(OutboxMessage.status))) == {"logged"}
