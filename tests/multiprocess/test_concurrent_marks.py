"""Saving and hiding one match at the same moment through three real gunicorn worker
processes (SQLite, or PostgreSQL with TEST_DATABASE_URL): never a 409 or a 500, and one mark
per pair in the end, the one the saved list and the ranking agree on."""

from __future__ import annotations

import pytest

from models import MatchMark, db
from tests.factories import payload
from tests.multiprocess.servers import at_once, call, worker
from webapp.services import accounts

ROUNDS = 6


@pytest.fixture(scope="module")
def workers(database_url):
    with worker(database_url, workers=3) as base:
        yield base


def test_racing_marks_of_one_pair_leave_one_mark(app, workers, make_user):
    _, owner = accounts.issue_token(make_user("sme"))
    _, staff = accounts.issue_token(make_user("coordinator"))
    sme = call(workers, "POST", "/api/v1/smes", owner, payload("sme"))["id"]
    mentor = call(workers, "POST", "/api/v1/mentors", staff, payload("mentor"))["id"]
    base = f"/api/v1/smes/{sme}/matches/{mentor}"
    for i in range(ROUNDS):
        answers = at_once(workers, [("POST", f"{base}/{verb}", owner)
                                    for verb in ("save", "hide", "save")])
        assert [a.status for a in answers] == [200, 200, 200], (i, answers)
        db.session.expire_all()
        [mark] = db.session.scalars(db.select(MatchMark.mark).where(
            MatchMark.owner_id == sme, MatchMark.candidate_id == mentor)).all()
        saved = call(workers, "GET", f"/api/v1/smes/{sme}/matches/saved", owner)["matches"]
        ranked = call(workers, "GET", f"/api/v1/smes/{sme}/matches", owner)["matches"]
        assert ([m["profile"]["id"] for m in saved] == [mentor]) == (mark == "saved")
        assert (mentor in [m["profile"]["id"] for m in ranked]) == (mark == "saved")
        call(workers, "DELETE", f"{base}/{'save' if mark == 'saved' else 'hide'}", owner)
