"""train-model and evaluate from the command line."""

from pathlib import Path

from tests.factories import COLLECTION, payload

SCENARIOS = Path(__file__).parents[1] / "data" / "scenarios.json"


def test_train_model_saves_a_bundle_that_rankings_then_use(client, runner, as_role):
    _, headers = as_role("coordinator")
    ids = {kind: client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind),
                             headers=headers).get_json()["id"] for kind in ("sme", "mentor")}
    before = client.get(f"/api/v1/smes/{ids['sme']}/matches", headers=headers).get_json()
    client.post("/api/v1/mentors", headers=headers, json=payload(
        "mentor", name="Inactive", active=False, bio="Logística aduanal y transporte"))
    result = runner.invoke(args=["train-model"])
    assert result.exit_code == 0, result.output
    assert "1 sme" in result.output and "2 mentor" in result.output
    after = client.get(f"/api/v1/smes/{ids['sme']}/matches", headers=headers).get_json()
    assert after["model_version"] != before["model_version"]
    assert after["model_version"] in result.output
    assert [m["profile"]["id"] for m in after["matches"]] == [ids["mentor"]]


def test_evaluate_prints_model_and_baselines(runner):
    result = runner.invoke(args=["evaluate", "--scenarios", str(SCENARIOS)])
    assert result.exit_code == 0, result.output
    lines = {line.split("|")[1].strip().split(" ")[0]: line for line in result.output.splitlines()
             if line.startswith("| ") and "system" not in line}
    assert {"model", "random", "sector-only"} <= set(lines)
    model_ndcg = float(lines["model"].split("|")[2])
    assert model_ndcg >= 0.85
    assert model_ndcg > float(lines["random"].split("|")[2])
    assert model_ndcg > float(lines["sector-only"].split("|")[2])


def test_evaluate_reports_a_missing_file(runner):
    result = runner.invoke(args=["evaluate", "--scenarios", "/nonexistent.json"])
    assert result.exit_code != 0 and "does not exist" in result.output
