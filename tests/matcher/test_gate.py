"""Tests of matcher.gate: group folds, bootstrap comparison, and the promotion decision."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from matcher.gate import (
    MIN_GATE_OUTCOMES,
    compare,
    decide,
    describe_decision,
    gain_weights,
    group_folds,
    ndcg_by_group,
    weighted_auc,
)


def test_group_folds_never_split_a_requester():
    groups = np.repeat(np.arange(40), 3)
    folds = group_folds(groups, 5, seed=1)
    for g in range(40):
        assert np.unique(folds[groups == g]).size == 1
    assert set(np.unique(folds)) == set(range(5))
    assert not np.array_equal(folds, group_folds(groups, 5, seed=2))


def test_weighted_auc_matches_scikit_learn_and_counts_ties_half():
    rng = np.random.default_rng(0)
    scores, y = rng.integers(0, 5, 300).astype(float), rng.integers(0, 2, 300)
    assert weighted_auc(scores, y, np.ones((1, 300)))[0] == pytest.approx(
        roc_auc_score(y, scores))
    doubled = np.ones((1, 300))
    doubled[0, :10] = 2.0
    repeated = np.r_[np.arange(300), np.arange(10)]
    assert weighted_auc(scores, y, doubled)[0] == pytest.approx(
        roc_auc_score(y[repeated], scores[repeated]))


def test_ndcg_by_group_ranks_each_requesters_outcomes():
    scores = np.array([0.9, 0.1, 0.2, 0.8, 0.5])
    y = np.array([0, 1, 1, 0, 0])
    groups = np.array([0, 0, 1, 1, 2])
    values = ndcg_by_group(scores, y, groups, 3)
    assert values[0] == pytest.approx(1 / np.log2(3))
    assert values[1] == pytest.approx(1 / np.log2(3))
    assert np.isnan(values[2])  # no acceptance: not counted


def test_ndcg_by_group_is_graded_with_exponential_gain():
    # One requester: an order (grade 3) ranked below an accepted-only introduction (grade 1).
    scores = np.array([0.9, 0.5, 0.1])
    grades = np.array([1, 3, 0])
    value = ndcg_by_group(scores, grades, np.zeros(3, int), 1)[0]
    discount = 1 / np.log2([2, 3])
    assert value == pytest.approx((1 * discount[0] + 7 * discount[1])
                                  / (7 * discount[0] + 1 * discount[1]))
    assert ndcg_by_group(-scores, grades, np.zeros(3, int), 1)[0] < 1.0
    assert ndcg_by_group(np.array([0.5, 0.9, 0.1]), grades, np.zeros(3, int), 1)[0] == 1.0


def test_gain_weighted_auc_counts_an_order_as_seven_acceptances():
    assert gain_weights(np.array([0, 1, 2, 3, 4])).tolist() == [1, 1, 3, 7, 15]
    scores = np.array([0.1, 0.2, 0.3, 0.9])
    grades = np.array([1, 0, 3, 0])
    repeated = np.array([0, 1, 2, 2, 2, 2, 2, 2, 2, 3])  # the order's row seven times
    y = (grades >= 1).astype(int)
    comparison = compare(scores, -scores, grades, np.arange(4), n_bootstrap=2)
    assert comparison["roc_auc"]["champion"] == pytest.approx(
        roc_auc_score(y[repeated], scores[repeated]))
    # With 0/1 grades nothing is weighted.
    plain = compare(scores, -scores, y, np.arange(4), n_bootstrap=2)
    assert plain["roc_auc"]["champion"] == pytest.approx(roc_auc_score(y, scores))


def _labels(n, seed):
    rng = np.random.default_rng(seed)
    signal = rng.random(n)
    return signal, (rng.random(n) < signal).astype(int), rng.integers(0, n // 3, n)


def test_a_clearly_better_ranking_is_promoted():
    signal, y, groups = _labels(900, 0)
    noise = np.random.default_rng(1).random(900)
    comparison = compare(noise, signal, y, groups)
    assert comparison["roc_auc"]["difference"] > 0.2
    assert 0 < comparison["roc_auc"]["se"] < 0.05
    decision = decide(comparison, y)
    assert decision["promoted"] and decision["code"] == "beats_champion"


def test_a_gain_within_the_noise_keeps_the_champion():
    signal, y, groups = _labels(400, 2)
    rng = np.random.default_rng(3)
    champion = signal + rng.normal(0, 0.5, 400)
    challenger = signal + rng.normal(0, 0.5, 400)
    comparison = compare(champion, challenger, y, groups, seed=4)
    decision = decide(comparison, y)
    assert not decision["promoted"]
    assert decision["code"] in ("auc_gain_too_small", "auc_gain_within_noise")
    assert "AUC gain" in describe_decision(decision)


def test_too_few_outcomes_keep_the_champion_whatever_the_gain():
    signal, y, groups = _labels(MIN_GATE_OUTCOMES - 1, 5)
    decision = decide(compare(-signal, signal, y, groups), y)
    assert decision == {"promoted": False, "code": "too_few_outcomes", "params": {
        "n": MIN_GATE_OUTCOMES - 1, "accepted": int(y.sum()), "minimum": MIN_GATE_OUTCOMES,
        "minimum_each": 20}}
    assert "too few held-out outcomes" in describe_decision(decision)
