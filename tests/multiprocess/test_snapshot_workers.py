"""A worker process that maps the snapshot another process built ranks as that process does,
and shows a profile changed after the snapshot was written."""

from __future__ import annotations

import json
import time

from models import Profile, db
from tests.factories import payload
from tests.multiprocess.servers import call, worker
from webapp.services import accounts, demo_seed, matching

REFRESH_MS = 200


QUERY = "plain=true&k=50"


def ranking(base: str, token: str, sme_id: int) -> list[tuple[int, float]]:
    time.sleep(REFRESH_MS / 1000 + 0.05)  # the longest a worker may serve its last check
    body = call(base, "GET", f"/api/v1/smes/{sme_id}/matches?{QUERY}", token)
    return [(m["profile"]["id"], m["score"]) for m in body["matches"]]


def ranked_here(client, headers, sme_id: int) -> list[tuple[int, float]]:
    body = client.get(f"/api/v1/smes/{sme_id}/matches?{QUERY}", headers=headers).get_json()
    return [(m["profile"]["id"], m["score"]) for m in body["matches"]]


def test_a_worker_mapping_the_snapshot_ranks_as_the_builder(app, client, database_url,
                                                           make_user, tmp_path):
    demo_seed.seed_profiles(30, 400, 50, seed=11)
    app.config["PUENTE_SNAPSHOT_DIR"] = str(tmp_path)
    path = matching.build_snapshot()  # this process builds (and keeps) its indexes
    _, token = accounts.issue_token(make_user("coordinator"))
    headers = {"Authorization": f"Bearer {token}"}
    smes = db.session.scalars(db.select(Profile.id).where(Profile.kind == "sme")).all()[:8]
    env = {"PUENTE_SNAPSHOT_DIR": str(tmp_path), "PUENTE_MATCHING_REFRESH_MS": str(REFRESH_MS)}
    with worker(database_url, env=env) as other:
        body = call(other, "GET", f"/api/v1/smes/{smes[0]}/matches", token)
        manifest = json.loads((path / "manifest.json").read_text())
        assert body["model_version"] == manifest["bundle_version"]  # mapped, not refitted
        for sme in smes:
            mine = ranked_here(client, headers, sme)
            assert ranking(other, token, sme) == mine and mine

        # written after the snapshot: a new mentor, and an SME it suits
        mentor = call(other, "POST", "/api/v1/mentors", token, payload("mentor"))["id"]
        sme = call(other, "POST", "/api/v1/smes", token, payload("sme"))["id"]
        mine = ranked_here(client, headers, sme)
        assert mentor in [pid for pid, _ in mine] and ranking(other, token, sme) == mine
        call(other, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": False})
        assert mentor not in [pid for pid, _ in ranking(other, token, sme)]
    assert path.name in (tmp_path / "CURRENT").read_text()
