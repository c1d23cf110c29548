"""Matching snapshots: built once by a command (and by ``seed-demo``), mapped by a worker that
then ranks as one that built its own indexes, with the profiles changed since on top; a
snapshot of another model or another database is never used."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest

from matcher import rank
from models import Profile, db, utcnow
from tests.factories import payload
from webapp.services import demo_seed, matching, model_training
from webapp.services.snapshots import POINTER


@pytest.fixture
def root(app, tmp_path):
    app.config["PUENTE_SNAPSHOT_DIR"] = str(tmp_path / "snapshots")
    demo_seed.seed_profiles(40, 300, 60, seed=5)
    return tmp_path / "snapshots"


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


def fresh_state():
    matching.forget_state()
    return matching.matching_state()


def rankings(state, queries):
    return [[(m.profile_id, round(m.score, 12)) for m in rank(state.indexes[kind], q, 10)]
            for q in queries for kind in ("mentor", "buyer")]


def test_the_command_writes_a_snapshot_a_worker_maps_and_ranks_alike(app, root, runner):
    result = runner.invoke(args=["build-snapshot"])
    assert result.exit_code == 0 and "Matching snapshot written to" in result.output
    name = (root / POINTER).read_text()
    mapped = fresh_state()
    assert mapped.snapshot == name
    ids = mapped.indexes["mentor"].segments[0].arrays.ids
    assert isinstance(ids.base, np.memmap) and not ids.flags.writeable
    app.config["PUENTE_SNAPSHOT_DIR"] = ""
    built = fresh_state()
    assert built.snapshot is None
    queries = matching.load_records(Profile.kind == "sme")[:15]
    assert rankings(mapped, queries) == rankings(built, queries)


def test_profiles_written_after_the_snapshot_show_in_the_ranking(app, root, runner, client,
                                                                  coordinator):
    runner.invoke(args=["build-snapshot"])
    sme = client.post("/api/v1/smes", json=payload("sme"), headers=coordinator).get_json()["id"]
    mentor = client.post("/api/v1/mentors", json=payload("mentor", name="Nueva Mentora"),
                         headers=coordinator).get_json()["id"]
    state = fresh_state()
    assert state.snapshot is not None and mentor in state.indexes["mentor"]
    body = client.get(f"/api/v1/smes/{sme}/matches?plain=true", headers=coordinator).get_json()
    assert body["matches"][0]["profile"]["name"] == "Nueva Mentora"

    client.patch(f"/api/v1/mentors/{mentor}", json={"name": "Renombrada"}, headers=coordinator)
    body = client.get(f"/api/v1/smes/{sme}/matches?plain=true", headers=coordinator).get_json()
    assert body["matches"][0]["profile"]["name"] == "Renombrada"


def test_a_profile_whose_date_passed_since_the_snapshot_is_left_out(app, root, runner):
    mentor = db.session.scalars(db.select(Profile).where(Profile.kind == "mentor")).first()
    mentor.available_until = utcnow() + timedelta(seconds=1)
    db.session.commit()
    runner.invoke(args=["build-snapshot"])
    manifest_path = root / (root / POINTER).read_text() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["as_of"] = (utcnow() - timedelta(hours=1)).isoformat()  # built an hour ago
    manifest_path.write_text(json.dumps(manifest))
    mentor.available_until = utcnow() - timedelta(minutes=1)  # not logged as a change
    db.session.commit()
    # the snapshot still holds the mentor as available: the passed date takes it out
    state = fresh_state()
    assert state.snapshot is not None and mentor.id not in state.indexes["mentor"]


def test_a_snapshot_of_another_model_is_not_used(app, root, runner):
    runner.invoke(args=["build-snapshot"])
    model_training.train_model()
    assert fresh_state().snapshot is None
    runner.invoke(args=["build-snapshot"])
    assert fresh_state().snapshot is not None


def test_a_snapshot_of_another_database_is_not_used(app, root, runner):
    runner.invoke(args=["build-snapshot"])
    manifest_path = root / (root / POINTER).read_text() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["mark"]["changed_at"] = "2020-01-01T00:00:00+00:00"
    manifest_path.write_text(json.dumps(manifest))
    assert fresh_state().snapshot is None


def test_a_worker_moves_to_a_newer_snapshot(app, root, runner):
    runner.invoke(args=["build-snapshot"])
    first = fresh_state().snapshot
    runner.invoke(args=["build-snapshot"])
    newer = matching.matching_state()
    assert newer.snapshot not in (None, first)
    assert len(list(p for p in root.iterdir() if not p.name.startswith((".", POINTER)))) == 2


def test_seed_demo_writes_a_snapshot(app, tmp_path, runner):
    app.config["PUENTE_SNAPSHOT_DIR"] = str(tmp_path / "snapshots")
    result = runner.invoke(args=["seed-demo", "--smes", "5", "--mentors", "5", "--buyers", "5",
                                 "--no-users"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "snapshots" / POINTER).exists()
    assert fresh_state().snapshot == (tmp_path / "snapshots" / POINTER).read_text()


def test_the_command_says_when_snapshots_are_off(app, runner):
    result = runner.invoke(args=["build-snapshot"])
    assert result.exit_code == 1 and "PUENTE_SNAPSHOT_DIR" in result.output


def test_a_snapshot_that_does_not_fit_is_tried_once_not_at_every_refresh(app, root, runner,
                                                                         monkeypatch):
    runner.invoke(args=["build-snapshot"])
    model_training.train_model()  # the snapshot's model is no longer the active one
    reads = []
    real = matching.snapshots.read_snapshot
    monkeypatch.setattr(matching.snapshots, "read_snapshot",
                        lambda *a: reads.append(a) or real(*a))
    state = fresh_state()
    for _ in range(5):
        assert matching.matching_state() is state
    assert state.snapshot is None and len(reads) == 1


def test_the_periodic_job_rebuilds_only_after_changes(app, root, client, coordinator):
    from webapp.jobs.periodic import run_task

    first = run_task("build-snapshot")
    assert (root / POINTER).read_text() == first["snapshot"]
    assert run_task("build-snapshot") == {"skipped": "current", "snapshot": first["snapshot"]}
    created = client.post("/api/v1/mentors", json=payload("mentor", name="Mentora Nueva"),
                          headers=coordinator)
    assert created.status_code == 201
    second = run_task("build-snapshot")
    assert second.get("snapshot") not in (None, first["snapshot"])
    assert (root / POINTER).read_text() == second["snapshot"]
    app.config["PUENTE_SNAPSHOT_DIR"] = ""
    assert run_task("build-snapshot") == {"skipped": "snapshots_off"}


def test_the_serving_version_is_the_snapshots_before_a_worker_maps_it(app, root, runner):
    runner.invoke(args=["build-snapshot"])
    matching.forget_state()
    before = matching.serving_version()  # read from the manifest: nothing built or mapped
    assert before is not None and "state" not in app.extensions.get("puente.matching", {})
    assert fresh_state().bundle.version == before == matching.serving_version()


def test_if_changed_writes_a_snapshot_only_when_profiles_changed_since(app, root, runner,
                                                                      client, coordinator):
    """``make run`` starts with ``build-snapshot --if-changed``: a restart with nothing changed
    maps the current snapshot rather than build the indexes again (67 s at 1,000,000)."""
    first = runner.invoke(args=["build-snapshot", "--if-changed"])
    assert first.exit_code == 0 and "Matching snapshot written to" in first.output
    name = (root / POINTER).read_text()
    again = runner.invoke(args=["build-snapshot", "--if-changed"])
    assert again.exit_code == 0 and f"Matching snapshot {name} is current" in again.output
    assert (root / POINTER).read_text() == name
    client.post("/api/v1/mentors", json=payload("mentor", name="Nueva"), headers=coordinator)
    changed = runner.invoke(args=["build-snapshot", "--if-changed"])
    assert "Matching snapshot written to" in changed.output
    assert (root / POINTER).read_text() != name
