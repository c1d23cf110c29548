"""Tests of matcher.scorer."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from matcher import DEFAULT_BIAS, DEFAULT_WEIGHTS, MENTORSHIP, LinearScorer, TrainingError
from matcher.scorer import default_scorers, harmonic_mean, sigmoid

FACTORS = ("a", "b", "c")


def test_estimator_contract():
    scorer = LinearScorer(factors=FACTORS, weights={"a": 2.0}, bias=-1.0)
    twin = clone(scorer)
    assert twin.get_params() == scorer.get_params()
    with pytest.raises(NotFittedError):
        scorer.decision_function(np.zeros((1, 3)))
    assert scorer.fit() is scorer
    with pytest.raises(NotFittedError):
        twin.weights_  # noqa: B018


def test_priors_give_the_logistic_of_the_weighted_sum():
    scorer = LinearScorer(factors=FACTORS, weights={"a": 2.0, "b": 0.5}, bias=-1.0).fit()
    X = np.array([[1.0, 0.0, 0.0], [0.5, 1.0, 1.0]])
    assert scorer.weights_ == {"a": 2.0, "b": 0.5, "c": 1.0}
    assert scorer.decision_function(X) == pytest.approx([1.0, 1.5])
    assert scorer.predict_proba(X)[:, 1] == pytest.approx(sigmoid(np.array([1.0, 1.5])))
    combined = scorer.combine({"a": X[:, 0], "b": X[:, 1], "c": X[:, 2]})
    assert combined.dtype == np.float32
    assert combined == pytest.approx([1.0, 1.5])
    # A factor left absent counts as 0 everywhere: the same logits to the bit.
    without_a = scorer.combine({"b": X[:, 1], "c": X[:, 2]}, absent=("a",))
    assert np.array_equal(without_a, scorer.combine({"a": np.zeros(2), "b": X[:, 1],
                                                     "c": X[:, 2]}))
    assert without_a == pytest.approx([-1.0, 0.5])
    assert scorer.contributions({"a": 0.5, "b": 1.0, "c": 1.0}) == {"a": 1.0, "b": 0.5,
                                                                     "c": 1.0}


def test_fit_learns_weights_with_logistic_regression():
    rng = np.random.default_rng(0)
    X = rng.random((400, 3))
    y = (X[:, 0] + 0.1 * rng.standard_normal(400) > 0.5).astype(int)
    scorer = LinearScorer(factors=FACTORS, C=10.0).fit(X, y)
    assert scorer.n_samples_ == 400
    assert scorer.coef_[0] > 5 * max(abs(scorer.coef_[1]), abs(scorer.coef_[2]))
    accuracy = np.mean((scorer.predict_proba(X)[:, 1] >= 0.5) == y)
    assert accuracy > 0.85


@pytest.mark.parametrize(("X", "y"), [
    (np.zeros((3, 3)), np.array([1, 1, 1])),
    (np.zeros((3, 2)), np.array([0, 1, 1])),
    (np.zeros((2, 3)), np.array([0, 1, 1])),
])
def test_fit_rejects_unusable_outcomes(X, y):
    with pytest.raises(TrainingError):
        LinearScorer(factors=FACTORS).fit(X, y)


@pytest.mark.parametrize("params", [{"factors": ()}, {"factors": ("a",), "weights": {"z": 1}}])
def test_fit_rejects_bad_parameters(params):
    with pytest.raises(ValueError):
        LinearScorer(**params).fit()


def test_default_scorers_use_documented_priors():
    scorers = default_scorers({"mentorship": MENTORSHIP.factors})
    scorer = scorers["mentorship"]
    interactions = {"language*needs": 0.0, "needs*sector": 0.0}
    assert scorer.weights_ == {**dict(DEFAULT_WEIGHTS["mentorship"]), **interactions}
    assert scorer.intercept_ == DEFAULT_BIAS["mentorship"]
    assert clone(scorer).get_params() == scorer.get_params()


def test_harmonic_mean():
    a = np.array([0.9, 0.5, 0.0, 0.0])
    b = np.array([0.1, 0.5, 0.7, 0.0])
    assert harmonic_mean(a, b) == pytest.approx([0.18, 0.5, 0.0, 0.0])


def test_interaction_terms_are_named_weighted_products():
    scorer = LinearScorer(factors=FACTORS, weights={"a": 1.0, "b": 1.0, "c": 0.0, "a*b": 2.0},
                          interactions=(("a", "b"),)).fit()
    assert scorer.terms == ("a", "b", "c", "a*b")
    X = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    assert scorer.decision_function(X) == pytest.approx([4.0, 1.0])  # more than the sum
    combined = scorer.combine({"a": X[:, 0], "b": X[:, 1].astype(bool), "c": X[:, 2]})
    assert combined == pytest.approx([4.0, 1.0])
    assert scorer.contributions({"a": 1.0, "b": 0.5, "c": 0.0}) == {
        "a": 1.0, "b": 0.5, "c": 0.0, "a*b": 1.0}
    silent = LinearScorer(factors=FACTORS, interactions=(("a", "b"),)).fit()
    assert set(silent.contributions({"a": 1.0, "b": 1.0, "c": 1.0})) == set(FACTORS)


def test_fit_learns_an_interaction_a_sum_cannot_express():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, (2000, 3)).astype(float)
    y = (rng.random(2000) < np.where(X[:, 0] * X[:, 1] > 0, 0.8, 0.1)).astype(int)
    scorer = LinearScorer(factors=FACTORS, interactions=(("a", "b"),)).fit(X, y)
    assert scorer.weights_["a*b"] > 2.0
    assert scorer.weights_["a"] < 1.0 and scorer.weights_["b"] < 1.0


def test_shifted_moves_only_the_intercept():
    scorer = LinearScorer(factors=FACTORS, bias=-1.0).fit()
    moved = scorer.shifted(0.5)
    assert moved.intercept_ == -0.5 and scorer.intercept_ == -1.0
    assert moved.weights_ == scorer.weights_
