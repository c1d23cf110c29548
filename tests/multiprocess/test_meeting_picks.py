"""Picks of one meeting proposal racing through three real gunicorn worker processes on one
database (SQLite, or PostgreSQL with TEST_DATABASE_URL): exactly one pick wins, the others get
a 409, and the two parties receive exactly one invitation each."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from models import MeetingProposal, OutboxMessage, db, utcnow
from tests.factories import payload
from tests.multiprocess.servers import at_once, call, worker
from webapp.services import accounts

ROUNDS = 4
RACERS = 3


@pytest.fixture(scope="module")
def workers(database_url):
    """Yield the URL of three gunicorn workers on the test database, started once."""
    with worker(database_url, workers=3) as base:
        yield base


def party(base: str, make_user, kind: str) -> tuple[str, int]:
    """Create an account with its own profile through the server; return (token, id)."""
    _, token = accounts.issue_token(make_user(kind))
    return token, call(base, "POST", f"/api/v1/{kind}s", token, payload(kind))["id"]


def test_racing_picks_of_one_proposal_have_exactly_one_winner(app, workers, make_user):
    base = workers
    sme_token, sme_id = party(base, make_user, "sme")
    mentor_token, mentor_id = party(base, make_user, "mentor")
    intro = call(base, "POST", "/api/v1/introductions", sme_token, {"target_id": mentor_id})
    url = f"/api/v1/introductions/{intro['id']}"
    call(base, "POST", f"{url}/accept", mentor_token)
    start = (utcnow() + timedelta(days=5)).replace(microsecond=0)
    for round_ in range(ROUNDS):
        times = [(start + timedelta(days=round_, hours=h)).isoformat() for h in range(RACERS)]
        meeting = call(base, "POST", f"{url}/meetings", sme_token, {"times": times})
        pick = f"{url}/meetings/{meeting['id']}/pick"
        answers = at_once(base, [("POST", pick, mentor_token, {"time": t}) for t in times])
        codes = Counter(getattr(a, "status", repr(a)) for a in answers)
        assert codes == {200: 1, 409: RACERS - 1}, codes
        [winner] = [a.body for a in answers if a.status == 200]
        db.session.expire_all()
        stored = db.session.get(MeetingProposal, meeting["id"])
        # The stored time is the winner's, whatever the others asked for.
        assert stored.picked_time == datetime.fromisoformat(winner["picked_time"])
        assert stored.picked_by_id == mentor_id
    invitations = Counter(db.session.scalars(db.select(OutboxMessage.user_id).where(
        OutboxMessage.template == "meeting_confirmed")))
    assert sorted(invitations.values()) == [ROUNDS, ROUNDS]  # one per party per meeting
