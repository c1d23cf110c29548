"""Tests of matcher.shrinkage: weights pulled toward the champion's, intercept-only refits."""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from matcher.shrinkage import fit_logistic_toward, fit_offset_intercept


def _data(n, seed=0, weights=(3.0, 0.0)):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 2))
    return X, (rng.random(n) < expit(X @ np.array(weights) - 1.5)).astype(int)


def test_centred_on_zero_it_is_scikit_learns_l2_logistic_regression():
    X, y = _data(500)
    coef, intercept = fit_logistic_toward(X, y, np.zeros(2), 0.0, C=0.7)
    model = LogisticRegression(C=0.7).fit(X, y)
    assert coef == pytest.approx(model.coef_[0], abs=1e-2)
    assert intercept == pytest.approx(model.intercept_[0], abs=1e-2)


def test_without_signal_weights_shrink_toward_the_champion_not_toward_zero():
    rng = np.random.default_rng(1)
    X, y = rng.random((60, 2)), rng.integers(0, 2, 60)
    centre = np.array([2.5, 1.5])
    coef, _ = fit_logistic_toward(X, y, centre, -2.0, C=0.2)
    assert np.all(np.abs(coef - centre) < 0.6)
    free, _ = fit_logistic_toward(X, y, np.zeros(2), -2.0, C=0.2)
    assert np.all(np.abs(free) < 0.6)


def test_more_outcomes_move_the_weights_further_from_the_champion():
    centre = np.array([0.0, 3.0])  # the champion has the factors the wrong way round
    moved = [fit_logistic_toward(*_data(n, seed=2), centre, 0.0, C=0.5)[0] for n in (50, 5000)]
    assert abs(moved[1][0] - 3.0) < abs(moved[0][0] - 3.0)
    assert moved[1][0] > 2.0 and abs(moved[1][1]) < 0.5


def test_offset_intercept_matches_the_observed_rate():
    rng = np.random.default_rng(3)
    offset = rng.normal(-3.0, 1.0, 2000)
    y = (rng.random(2000) < expit(offset + 1.5)).astype(int)
    delta = fit_offset_intercept(offset, y)
    assert delta == pytest.approx(1.5, abs=0.2)
    assert expit(offset + delta).mean() == pytest.approx(y.mean(), abs=1e-6)
