"""The sweep and the answers to requests at the same moment: each request ends in one state,
expired once or answered once, and the loser of each race is told so.

Runs on the test database (SQLite file, or PostgreSQL with TEST_DATABASE_URL); every thread
sends a real HTTP request through its own test client, app context and connection.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from models import AuditEntry, Introduction, OutboxMessage, Profile, db, utcnow
from tests.db.test_capacity_concurrency import run_at_once
from tests.intro_factories import make_party, request_intro

ROUNDS = 4


def requests_made_days_ago(client, as_role, days: float) -> tuple[list, list[int]]:
    """Requests of SMEs to mentors (one each), moved back ``days``: ``(mentors, ids)``."""
    mentors = [make_party(client, as_role, "mentor", name=f"Mentor {i}") for i in range(ROUNDS)]
    ids = [request_intro(client, make_party(client, as_role, "sme", name=f"Firm {i}"),
                         mentor)["id"] for i, mentor in enumerate(mentors)]
    db.session.execute(db.update(Introduction).values(
        created_at=utcnow() - timedelta(days=days)))
    db.session.commit()
    return mentors, ids


def accepts_and_a_sweep(app, mentors, ids, sweep_at):
    """Accept every request while a sweep runs; return the answers and the sweep's report."""
    from webapp.services.sweep import sweep_introductions

    def sweep(_client):
        with app.app_context():
            return sweep_introductions(sweep_at, deliver=False)

    calls = [lambda c, i=intro_id, m=mentor: c.post(f"/api/v1/introductions/{i}/accept",
                                                    headers=m.headers)
             for mentor, intro_id in zip(mentors, ids, strict=True)]
    *answers, report = run_at_once(app, [*calls, sweep])
    assert not isinstance(report, Exception), report
    db.session.expire_all()
    return answers, report


def test_an_overdue_request_is_expired_once_by_the_sweep_or_the_answer(app, client, as_role):
    mentors, ids = requests_made_days_ago(client, as_role, 17)
    answers, report = accepts_and_a_sweep(app, mentors, ids, utcnow())
    for answer in answers:
        assert answer.status_code == 409, answer.get_json()
        error = answer.get_json()["error"]
        assert (error["code"], error["params"]["state"]) == ("introduction_wrong_state",
                                                             "expired")
    assert set(db.session.scalars(db.select(Introduction.state))) == {"expired"}
    expiries = db.session.scalars(db.select(AuditEntry.object_id).where(
        AuditEntry.action == "introduction.expire")).all()
    assert sorted(expiries) == sorted(ids)  # each once, whoever expired it
    assert report.expired <= ROUNDS
    told = Counter(db.session.scalars(db.select(OutboxMessage.template)))
    assert (told["expired_requester"], told["expired_target"]) == (ROUNDS, ROUNDS)
    rows = db.session.scalars(db.select(Profile).where(Profile.kind == "mentor")).all()
    assert {(p.requests_expired, p.active_count) for p in rows} == {(1, 0)}


def test_a_request_the_sweep_finds_overdue_is_either_accepted_or_expired(app, client, as_role):
    mentors, ids = requests_made_days_ago(client, as_role, 13)
    answers, report = accepts_and_a_sweep(app, mentors, ids, utcnow() + timedelta(days=2))
    for mentor, intro_id, answer in zip(mentors, ids, answers, strict=True):
        intro, row = db.session.get(Introduction, intro_id), db.session.get(Profile, mentor.id)
        if answer.status_code == 200:
            assert (intro.state, row.active_count, row.requests_expired) == ("accepted", 1, 0)
        else:
            assert answer.status_code == 409, answer.get_json()
            assert answer.get_json()["error"]["params"]["state"] == "expired"
            assert (intro.state, row.active_count, row.requests_expired) == ("expired", 0, 1)
    states = Counter(db.session.scalars(db.select(Introduction.state)))
    assert report.expired == states["expired"]
    actions = Counter(db.session.scalars(db.select(AuditEntry.action)))
    assert (actions["introduction.accept"], actions["introduction.expire"]) == (
        states["accepted"], states["expired"])
