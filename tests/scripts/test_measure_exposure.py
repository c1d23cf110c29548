"""The exposure measurement, run small: re-ranking spreads top-5 appearances more evenly on a
demo program at a small cost in score, and the printed report carries every figure."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from matcher.evaluation import load_scenarios
from matcher.exposure import gini, never_shown_share
from scripts.measure_exposure import PAIRINGS, main, measure, parse_args

SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "scenarios.json"
SMALL = ["--smes", "80", "--mentors", "20", "--buyers", "16", "--seed", "5", "--draws", "2"]


@pytest.fixture(scope="module")
def results():
    return measure(parse_args([*SMALL, "--strength", "0,0.2"]))


def test_plain_figures_do_not_depend_on_the_strength(results):
    plain, fair = results
    for name in plain["program"]:
        assert np.array_equal(plain["program"][name].counts, plain["plain"][name].counts)
        assert np.array_equal(fair["plain"][name].counts, plain["plain"][name].counts)
    assert {row["plain"] for row in plain["ndcg"].values()} == {
        row["drawn"] for row in plain["ndcg"].values()} | {
        row["worst"] for row in plain["ndcg"].values()}


def test_reranking_spreads_appearances_and_costs_little_score(results):
    _, fair = results
    assert set(fair["program"]) == {f"{a}->{b}" for a, b in PAIRINGS}
    for name, reranked in fair["program"].items():
        plain = fair["plain"][name]
        assert reranked.counts.sum() == plain.counts.sum()  # as many places shown
        assert gini(reranked.counts) <= gini(plain.counts)
        assert never_shown_share(reranked.counts) <= never_shown_share(plain.counts)
        assert plain.mean_score - 0.2 < reranked.mean_score <= plain.mean_score
    assert any(gini(r.counts) < gini(fair["plain"][n].counts) - 0.05
               for n, r in fair["program"].items())


def test_scenario_ndcg_is_reported_per_pairing_and_stays_high(results):
    _, fair = results
    assert sum(row["n"] for row in fair["ndcg"].values()) == len(load_scenarios(SCENARIOS))
    for row in fair["ndcg"].values():
        assert 0.8 < row["plain"] <= 1 and 0.8 < row["drawn"] <= 1 and 0.8 < row["worst"] <= 1


def test_the_report_prints_gini_never_shown_and_ndcg_side_by_side(capsys):
    assert main([*SMALL, "--strength", "0.1", "--timing", "300", "--timing-queries", "20"]) == 0
    out = capsys.readouterr().out
    for asking, shown in PAIRINGS:
        row = re.search(rf"\| {asking}->{shown} \| \d+ \| (\d\.\d\d) → (\d\.\d\d) \| "
                        rf"(\d+)% → (\d+)% \|", out)
        assert row, out
        assert float(row[2]) <= float(row[1]) and int(row[4]) <= int(row[3])
    total = len(load_scenarios(SCENARIOS))
    assert re.search(rf"\| all \| {total} \| 0\.\d{{3}} \| 0\.\d{{3}} \| 0\.\d{{3}} \|", out)
    assert re.search(r"plain p50 \d+\.\d\d.*re-ranked \(strength 0\.1\) p50 \d+\.\d\d", out)
