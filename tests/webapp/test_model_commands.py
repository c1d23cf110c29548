"""Model versions: train-model learns from introduction outcomes and promotes only what passes
the gate, saying why; staff list versions and roll back; evaluate prints the quality table."""

from pathlib import Path

import pytest

from matcher import build_bundle
from matcher.gate import describe_decision
from models import Introduction, db
from models.introductions import pair_key
from scripts.simulate_program import simulate_outcomes
from tests.factories import COLLECTION, payload
from webapp.services import demo_seed
from webapp.services.matching import load_records

SCENARIOS = Path(__file__).parents[1] / "data" / "scenarios.json"


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


def model_version_of_ranking(client, headers, sme_id) -> str:
    return client.get(f"/api/v1/smes/{sme_id}/matches", headers=headers).get_json()[
        "model_version"]


def test_first_training_activates_a_model_that_rankings_use(client, runner, coordinator):
    ids = {kind: client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind),
                             headers=coordinator).get_json()["id"] for kind in ("sme", "mentor")}
    result = runner.invoke(args=["train-model"])
    assert result.exit_code == 0, result.output
    assert "No labelled introductions yet" in result.output
    versions = client.get("/api/v1/models", headers=coordinator).get_json()["items"]
    assert len(versions) == 1 and versions[0]["active"] and not versions[0]["promoted"]
    assert versions[0]["version"] in result.output
    assert model_version_of_ranking(client, coordinator, ids["sme"]) == versions[0]["version"]


def test_the_default_model_served_before_the_first_training_can_be_rolled_back_to(
        client, runner, coordinator):
    ids = {kind: client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind),
                             headers=coordinator).get_json()["id"] for kind in ("sme", "mentor")}
    default = model_version_of_ranking(client, coordinator, ids["sme"])  # fitted, unsaved
    client.post(f"/api/v1/{COLLECTION['mentor']}",
                json=payload("mentor", name="Newer",
                             bio="Sirop d'érable, exportation et douanes canadiennes."),
                headers=coordinator)  # new words: training fits another vocabulary
    assert runner.invoke(args=["train-model"]).exit_code == 0
    versions = {v["version"]: v for v in client.get(
        "/api/v1/models", headers=coordinator).get_json()["items"]}
    assert default in versions and not versions[default]["active"]
    trained = model_version_of_ranking(client, coordinator, ids["sme"])
    assert trained != default and versions[trained]["active"]
    rolled = client.post(f"/api/v1/models/{default}/activate", headers=coordinator)
    assert rolled.status_code == 200, rolled.get_json()
    assert model_version_of_ranking(client, coordinator, ids["sme"]) == default


def test_an_activation_made_through_another_worker_shows_in_the_next_ranking(
        client, runner, coordinator, app):
    """A rollback applies to the next ranking, even in a worker that would look for another
    active model only a minute later: the active version is read with the owner's profile."""
    from sqlalchemy import update

    from models import ModelVersion

    ids = {kind: client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind),
                             headers=coordinator).get_json()["id"] for kind in ("sme", "mentor")}
    default = model_version_of_ranking(client, coordinator, ids["sme"])
    client.post(f"/api/v1/{COLLECTION['mentor']}",
                json=payload("mentor", name="Newer",
                             bio="Sirop d'érable, exportation et douanes canadiennes."),
                headers=coordinator)
    assert runner.invoke(args=["train-model"]).exit_code == 0
    app.config["PUENTE_MATCHING_REFRESH_MS"] = 60_000
    trained = model_version_of_ranking(client, coordinator, ids["sme"])
    assert trained != default
    for version in (default, trained, default):  # as another worker's activation writes it
        db.session.execute(update(ModelVersion).values(active=False))
        db.session.execute(update(ModelVersion).where(ModelVersion.version == version)
                           .values(active=True))
        db.session.commit()
        assert model_version_of_ranking(client, coordinator, ids["sme"]) == version


def simulate_program_in_database(n_requests: int = 700) -> None:
    records = load_records()
    smes = [r for r in records if r.kind == "sme"]
    mentors = [r for r in records if r.kind == "mentor" and r.eligible]
    pairs, outcomes = simulate_outcomes(build_bundle(records), smes, mentors, n_requests, 5)
    db.session.add_all(Introduction(
        kind="sme_mentor", requester_id=sme.id, target_id=mentor.id,
        pair_key=pair_key(sme.id, mentor.id), state="completed" if y else "declined",
        decline_reason_code=None if y else "not_a_fit") for (sme, mentor), y in zip(
            pairs, outcomes, strict=True))
    db.session.commit()


def test_training_on_outcomes_records_the_gate_decision_and_can_be_rolled_back(
        client, runner, coordinator):
    demo_seed.seed_profiles(smes=250, mentors=70, buyers=0, seed=5)
    assert runner.invoke(args=["train-model"]).exit_code == 0  # priors, no outcomes yet
    simulate_program_in_database()
    first = runner.invoke(args=["train-model", "--seed", "1"])
    assert first.exit_code == 0, first.output
    versions = client.get("/api/v1/models", headers=coordinator).get_json()["items"]
    newest = versions[0]
    assert newest["active"] and newest["n_outcomes"] == 700
    metrics = newest["metrics"]["mentorship"]
    decision = metrics["decision"]
    assert newest["promoted"] == decision["promoted"]
    assert describe_decision(decision) in first.output  # the CLI says why
    verdict = "-> promoted" if decision["promoted"] else "-> active weights kept, intercept"
    assert verdict in first.output
    assert "held out by requester" in first.output
    assert "reliability of the weights now in use" in first.output
    assert metrics["n_requesters"] > 100
    # Recalibrated or promoted, the weights in use are calibrated on the held-out outcomes.
    in_use = metrics["candidate" if decision["promoted"] else "calibrated"]
    assert in_use["calibration_error"] < metrics["current"]["calibration_error"]

    sme_id = next(r.id for r in load_records() if r.kind == "sme")
    assert model_version_of_ranking(client, coordinator, sme_id) == newest["version"]
    older = versions[1]
    assert not older["active"] and not older["promoted"]
    assert newest["weights"] != older["weights"]
    rolled = client.post(f"/api/v1/models/{older['version']}/activate", headers=coordinator)
    assert rolled.status_code == 200 and rolled.get_json()["active"]
    assert model_version_of_ranking(client, coordinator, sme_id) == older["version"]


def test_only_staff_see_and_change_model_versions(client, runner, as_role):
    runner.invoke(args=["train-model"])
    _, sme = as_role("sme")
    assert client.get("/api/v1/models", headers=sme).status_code == 403
    assert client.post("/api/v1/models/anything/activate", headers=sme).status_code == 403
    _, admin = as_role("admin")
    missing = client.post("/api/v1/models/nope/activate", headers=admin)
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "model_version_not_found"


def test_a_version_stored_as_a_pickle_is_never_loaded_nor_activated(client, as_role):
    import pickle

    from models import ModelVersion

    db.session.add(ModelVersion(version="pickled", bundle=pickle.dumps({"format": 1})))
    db.session.commit()
    _, admin = as_role("admin")
    refused = client.post("/api/v1/models/pickled/activate", headers=admin)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "model_version_unloadable"
    db.session.expire_all()
    assert not db.session.scalar(db.select(ModelVersion.active))


def test_evaluate_prints_model_and_baselines(runner):
    result = runner.invoke(args=["evaluate", "--scenarios", str(SCENARIOS)])
    assert result.exit_code == 0, result.output
    rows = {line.split("|")[1].strip().split(" ")[0]: float(line.split("|")[2])
            for line in result.output.splitlines()
            if line.startswith("| ") and "system" not in line}
    assert rows["model"] >= 0.85
    assert rows["model"] > rows["random"] and rows["model"] > rows["sector-only"]


def test_evaluate_reports_a_missing_file(runner):
    result = runner.invoke(args=["evaluate", "--scenarios", "/nonexistent.json"])
    assert result.exit_code != 0 and "does not exist" in result.output


@pytest.mark.parametrize(("content", "expected"), [
    ("not json", "The scenario file cannot be read, or is not a scenario file."),
    ('{"scenarios": []}', "The scenario file holds no scenarios."),
    ('{"scenarios": [{"id": "s1", "query": {}, "candidates": []}]}',
     "Scenario s1 cannot be evaluated: its candidates must be of one kind and its ordered "
     "pairs must name them."),
])
def test_evaluate_refuses_a_bad_scenario_file_in_words(runner, tmp_path, content, expected):
    """The command says what is wrong in the catalogue's words, not the program's."""
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["evaluate", "--scenarios", str(scenarios)])
    assert result.exit_code != 0
    assert f"Error: {expected}" in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output and "Error(" not in result.output


@pytest.mark.parametrize("version", ["%00", "v%00"])
def test_a_version_holding_a_nul_is_not_found_on_any_database(client, as_role, version):
    """404 naming the version as typed, never a 500 (PostgreSQL refuses NUL in a query)."""
    _, admin = as_role("admin")
    missing = client.post(f"/api/v1/models/{version}/activate", headers=admin)
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "model_version_not_found"
    assert "\\x00" in missing.get_json()["error"]["params"]["version"]
