"""Capacity and state changes hold when many requests arrive at the same moment.

Runs on the test database: a SQLite file by default, PostgreSQL when TEST_DATABASE_URL is set.
Every thread sends a real HTTP request through its own test client, so it gets its own app
context, session and database connection.
"""

from __future__ import annotations

import threading
from collections import Counter

from models import AuditEntry, Introduction, OutboxMessage, Profile, db
from tests.intro_factories import make_party, request_intro

THREADS = 20
CAPACITY = 3


def run_at_once(app, calls) -> list:
    """Run ``calls`` (functions of a test client) in threads released by one barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i: int) -> None:
        client = app.test_client()
        try:
            barrier.wait(timeout=30)
            results[i] = calls[i](client)
        except Exception as err:  # reported by the assertion below
            results[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return results


def test_twenty_simultaneous_accepts_never_exceed_capacity(app, client, as_role):
    mentor = make_party(client, as_role, "mentor", capacity=CAPACITY)
    smes = [make_party(client, as_role, "sme", name=f"Firm {i}") for i in range(THREADS)]
    intro_ids = [request_intro(client, sme, mentor)["id"] for sme in smes]

    def accept(intro_id):
        return lambda c: c.post(f"/api/v1/introductions/{intro_id}/accept",
                                headers=mentor.headers)

    responses = run_at_once(app, [accept(i) for i in intro_ids])
    statuses = Counter(getattr(r, "status_code", repr(r)) for r in responses)
    assert statuses == {200: CAPACITY, 409: THREADS - CAPACITY}, statuses

    db.session.expire_all()
    states = Counter(db.session.scalars(db.select(Introduction.state)))
    assert states == {"accepted": CAPACITY, "declined": THREADS - CAPACITY}
    assert db.session.get(Profile, mentor.id).active_count == CAPACITY
    accepted = {r.get_json()["id"] for r in responses if r.status_code == 200}
    assert accepted == set(db.session.scalars(
        db.select(Introduction.id).where(Introduction.state == "accepted")))
    assert set(db.session.scalars(db.select(Introduction.decline_reason_code).where(
        Introduction.state == "declined"))) == {"no_capacity"}
    actions = Counter(db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "introduction")))
    assert actions["introduction.accept"] == CAPACITY
    assert actions["introduction.decline"] == THREADS - CAPACITY
    told = Counter(db.session.scalars(db.select(OutboxMessage.template)))
    assert (told["accepted"], told["declined_no_capacity"]) == (CAPACITY, THREADS - CAPACITY)


def test_simultaneous_accept_and_withdraw_have_one_winner(app, client, as_role):
    mentor = make_party(client, as_role, "mentor", capacity=5)
    rounds = 5
    smes = [make_party(client, as_role, "sme", name=f"Firm {i}") for i in range(rounds)]
    intro_ids = [request_intro(client, sme, mentor)["id"] for sme in smes]
    calls = []
    for sme, intro_id in zip(smes, intro_ids, strict=True):
        calls.append(lambda c, i=intro_id: c.post(f"/api/v1/introductions/{i}/accept",
                                                  headers=mentor.headers))
        calls.append(lambda c, i=intro_id, h=sme.headers: c.post(
            f"/api/v1/introductions/{i}/withdraw", headers=h))
    responses = run_at_once(app, calls)
    for pair in range(rounds):
        codes = sorted(getattr(r, "status_code", repr(r))
                       for r in responses[2 * pair:2 * pair + 2])
        assert codes == [200, 409], codes
    db.session.expire_all()
    accepted = db.session.scalar(db.select(db.func.count()).where(
        Introduction.state == "accepted"))
    assert db.session.get(Profile, mentor.id).active_count == accepted


def test_a_request_made_while_the_last_place_is_taken_is_not_left_waiting(
        app, client, as_role, monkeypatch):
    """A request checked against the mentor's capacity before another request's acceptance
    took the last place, and written after it, is refused as for a full mentor: it would
    otherwise wait for an answer the mentor cannot give (accepting it is a 409) until it
    expires against the mentor's response rate."""
    from webapp.services import introductions as service

    mentor = make_party(client, as_role, "mentor", capacity=1)
    first, late = (make_party(client, as_role, "sme", name=f"Firm {i}") for i in range(2))
    first_id = request_intro(client, first, mentor)["id"]
    real_snapshot = service._snapshot

    def snapshot_while_the_mentor_accepts(requester, target):
        # Between the request's capacity check and its write, the mentor takes its last place
        # (another request, another connection).
        [accepted] = run_at_once(app, [lambda c: c.post(
            f"/api/v1/introductions/{first_id}/accept", headers=mentor.headers)])
        assert accepted.status_code == 200, accepted.get_json()
        return real_snapshot(requester, target)

    monkeypatch.setattr(service, "_snapshot", snapshot_while_the_mentor_accepts)
    response = client.post("/api/v1/introductions", headers=late.headers,
                           json={"target_id": mentor.id, "message": "Hola"})
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"]["code"] == "mentor_full"
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(Introduction).where(
        Introduction.target_id == mentor.id, Introduction.state == "requested")) == 0
