"""Two real gunicorn processes on one database: the rankings other participants were shown
through one worker re-rank the lists the other worker serves (each worker keeps its exposure
counts in memory and follows the impression log)."""

from __future__ import annotations

import time

from tests.factories import payload
from tests.intro_factories import make_party
from tests.multiprocess.servers import call, worker
from webapp.services import accounts

REFRESH_MS = 200
ENV = {"PUENTE_MATCHING_REFRESH_MS": str(REFRESH_MS), "PUENTE_IMPRESSION_FLUSH_MS": "0"}
TWIN = payload("mentor", name="Twin A")


def ranked_names(base: str, headers: dict, sme_id: int) -> list[str]:
    time.sleep(REFRESH_MS / 1000 + 0.05)  # the longest a worker may serve its last read
    body = call(base, "GET", f"/api/v1/smes/{sme_id}/matches", headers["Authorization"][7:])
    return [m["profile"]["name"] for m in body["matches"]]


def test_showings_logged_by_one_worker_rerank_the_other(app, client, database_url, make_user,
                                                        as_role):
    _, staff = accounts.issue_token(make_user("coordinator"))
    sme = make_party(client, as_role, "sme")
    others = [make_party(client, as_role, "sme", name=f"Other {n}") for n in range(2)]
    with worker(database_url, env=ENV) as a, worker(database_url, env=ENV) as b:
        call(a, "POST", "/api/v1/mentors", staff, TWIN)
        assert ranked_names(b, sme.headers, sme.id) == ["Twin A"]  # b has read the log
        for other in others:  # each is shown Twin A, through the other worker
            assert ranked_names(a, other.headers, other.id) == ["Twin A"]

        # An equally good twin, later in the plain order (higher id), never shown to anyone.
        call(a, "POST", "/api/v1/mentors", staff, {**TWIN, "name": "Twin B",
                                                   "markets": ["MX", "GT"]})
        plain = call(b, "GET", f"/api/v1/smes/{sme.id}/matches?plain=true", staff)
        assert [m["profile"]["name"] for m in plain["matches"]] == ["Twin A", "Twin B"]
        assert ranked_names(b, sme.headers, sme.id) == ["Twin B", "Twin A"]
