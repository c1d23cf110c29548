"""Two real gunicorn worker processes on one database: a profile written through one shows
(or disappears) in the other's rankings once its refresh interval has passed — and in its very
next matches request, which reads the change log's newest number with the owner's profile."""

from __future__ import annotations

import time

from tests.factories import payload
from tests.multiprocess.servers import call, worker
from webapp.services import accounts

REFRESH_MS = 200
FRESH = {"PUENTE_MATCHING_REFRESH_MS": str(REFRESH_MS)}


def ranked_names(base: str, token: str, sme_id: int) -> list[str]:
    time.sleep(REFRESH_MS / 1000 + 0.01)  # the longest a worker may serve its last check
    body = call(base, "GET", f"/api/v1/smes/{sme_id}/matches", token)
    return [m["profile"]["name"] for m in body["matches"]]


def test_profile_changes_reach_the_other_worker(app, database_url, make_user):
    _, token = accounts.issue_token(make_user("coordinator"))
    with worker(database_url, env=FRESH) as a, worker(database_url, env=FRESH) as b:
        sme = call(a, "POST", "/api/v1/smes", token, payload("sme"))["id"]
        assert ranked_names(a, token, sme) == ranked_names(b, token, sme) == []  # both warm

        mentor = call(a, "POST", "/api/v1/mentors", token, payload("mentor"))["id"]
        assert ranked_names(b, token, sme) == ["Rosa Delgado"]

        call(b, "PATCH", f"/api/v1/mentors/{mentor}", token, {"name": "Rosa D."})
        assert ranked_names(a, token, sme) == ["Rosa D."]

        call(a, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": False})
        assert ranked_names(b, token, sme) == []

        call(b, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": True})
        assert ranked_names(a, token, sme) == ["Rosa D."]
        call(b, "DELETE", f"/api/v1/mentors/{mentor}", token)
        assert ranked_names(a, token, sme) == ranked_names(b, token, sme) == []


def test_the_next_ranking_on_the_other_worker_shows_a_write_at_once(app, database_url,
                                                                    make_user):
    # A refresh interval of a minute: only the change log's newest number, read with the
    # owner's profile, tells the other worker that it has a write to follow.
    slow = {"PUENTE_MATCHING_REFRESH_MS": "60000"}
    _, token = accounts.issue_token(make_user("coordinator"))

    def names(base: str, sme_id: int) -> list[str]:
        body = call(base, "GET", f"/api/v1/smes/{sme_id}/matches", token)
        return [m["profile"]["name"] for m in body["matches"]]

    with worker(database_url, env=slow) as a, worker(database_url, env=slow) as b:
        sme = call(a, "POST", "/api/v1/smes", token, payload("sme"))["id"]
        assert names(a, sme) == names(b, sme) == []  # both warm, both checked just now
        mentor = call(a, "POST", "/api/v1/mentors", token, payload("mentor"))["id"]
        assert names(b, sme) == ["Rosa Delgado"]
        call(b, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": False})
        assert names(a, sme) == []
        call(a, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": True})
        assert names(b, sme) == ["Rosa Delgado"]
