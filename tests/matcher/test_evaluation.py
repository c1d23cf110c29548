"""Tests of matcher.evaluation: metrics on hand-computed examples and the scenario file."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from matcher import ScenarioError
from matcher.evaluation import (
    evaluate_scenarios,
    format_report,
    load_scenarios,
    ndcg_at_k,
    pairwise_agreement,
    precision_at_k,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "tests" / "data" / "scenarios.json"


def test_ndcg_hand_computed():
    # DCG = (2^3-1)/log2(2) + (2^0-1)/log2(3) + (2^2-1)/log2(4) = 7 + 0 + 1.5
    # IDCG = 7 + 3/log2(3) + 0
    expected = 8.5 / (7 + 3 / math.log2(3))
    assert ndcg_at_k([3, 0, 2], 3) == pytest.approx(expected)
    assert ndcg_at_k([3, 2, 0], 3) == pytest.approx(1.0)
    assert ndcg_at_k([0, 0], 2) == 0.0


def test_ndcg_counts_candidates_missing_from_the_ranking():
    # The ranking dropped a grade-3 candidate: ideal still holds it.
    assert ndcg_at_k([2], 5, ideal=[3, 2]) == pytest.approx(3 / (7 + 3 / math.log2(3)))


def test_ndcg_cuts_at_k():
    assert ndcg_at_k([0, 3], 1) == 0.0
    assert ndcg_at_k([3, 0], 1) == 1.0


def test_precision_at_k():
    assert precision_at_k([3, 1, 2, 3], 3) == pytest.approx(2 / 3)
    assert precision_at_k([3], 3) == pytest.approx(1 / 3)
    assert precision_at_k([1, 1, 1], 3, relevant=1) == 1.0


def test_pairwise_agreement():
    ranking = [10, 20, 30]
    assert pairwise_agreement(ranking, [(10, 20), (30, 20), (20, 99)]) == pytest.approx(2 / 3)
    assert pairwise_agreement(ranking, [(98, 99)]) == 0.0
    assert pairwise_agreement(ranking, []) == 1.0


def test_scenario_file_has_the_required_coverage():
    scenarios = load_scenarios(SCENARIOS)
    assert len(scenarios) >= 12
    pairings = {(s.query.kind, s.candidates[0].kind) for s in scenarios}
    assert pairings == {("sme", "mentor"), ("sme", "buyer"), ("buyer", "sme"),
                        ("mentor", "sme")}
    countries = {p.country for s in scenarios for p in (s.query, *s.candidates)}
    assert countries == {"US", "MX", "CA"}
    for scenario in scenarios:
        assert set(scenario.relevance.values()) <= {0, 1, 2, 3}
        assert max(scenario.relevance.values()) >= 2 and scenario.ordered_pairs


@pytest.fixture(scope="module")
def result():
    return evaluate_scenarios(SCENARIOS)


def test_model_beats_both_baselines_on_the_scenarios(result):
    model, random, sector = (result["summary"][name] for name in ("model", "random", "sector"))
    assert model["ndcg@5"] >= 0.85
    for baseline in (random, sector):
        assert model["ndcg@5"] >= baseline["ndcg@5"] + 0.1
        assert model["pairwise"] >= baseline["pairwise"] + 0.1
        assert model["precision@3"] > baseline["precision@3"]


def test_issue_examples_hold(result):
    scenarios = {row["id"]: row for row in result["scenarios"]}
    assert scenarios["juarez-autoparts-certification"]["model"]["pairwise"] == 1.0
    assert scenarios["sonora-produce-buyers"]["model"]["pairwise"] == 1.0


def test_report_is_a_markdown_table(result):
    report = format_report(result)
    assert report.splitlines()[0] == "| system | ndcg@5 | precision@3 | pairwise |"
    assert "random baseline" in report and "sector-only baseline" in report


def test_evaluation_is_reproducible(result):
    again = evaluate_scenarios(json.loads(SCENARIOS.read_text(encoding="utf-8")))
    assert again["summary"] == result["summary"]


@pytest.mark.parametrize("document", [
    {},
    {"scenarios": [{"id": "x", "query": {"id": 1, "kind": "sme", "country": "MX"},
                    "candidates": []}]},
    {"scenarios": [{"id": "x", "query": {"id": 1, "kind": "sme", "country": "MX"},
                    "candidates": [{"id": 2, "kind": "mentor", "country": "US",
                                    "relevance": 1}],
                    "ordered_pairs": [[2, 3]]}]},
    {"scenarios": [{"id": "x", "query": {"id": 1, "kind": "sme", "country": "MX"},
                    "candidates": [{"id": 2, "kind": "mentor", "country": "US"}]}]},
    {"scenarios": []},
])
def test_malformed_scenarios_raise(document):
    with pytest.raises(ScenarioError):
        evaluate_scenarios(document)


def test_unreadable_scenario_file_raises(tmp_path):
    with pytest.raises(ScenarioError):
        load_scenarios(tmp_path / "missing.json")


def test_evaluate_script_prints_the_table():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "evaluate_matches.py"), str(SCENARIOS),
         "--per-scenario"], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "| system | ndcg@5 | precision@3 | pairwise |" in completed.stdout
    assert "juarez-autoparts-certification" in completed.stdout
