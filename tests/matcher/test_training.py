"""Tests of matcher.training: pair features, directions, learning and promotion."""

import numpy as np
import pytest

from matcher import MENTORSHIP, TRADE, TrainingError
from matcher.training import direction_of, pair_features, score_outcomes, train_scorers


def test_pair_features_follow_the_pairing_factor_order(bundle, sme, mentor, buyer):
    mentors = [mentor(), mentor("detroit")]
    X = pair_features(bundle, sme(), mentors)
    assert X.shape == (2, len(MENTORSHIP.factors)) and X.dtype == np.float64
    assert pair_features(bundle, sme(), [buyer()]).shape == (1, len(TRADE.factors))
    with pytest.raises(TrainingError):
        pair_features(bundle, sme(), [mentor(), buyer()])


def test_direction_is_the_side_that_decided(sme, mentor, buyer):
    assert direction_of(sme(), mentor()) == "mentorship"
    assert direction_of(mentor(), sme()) == "mentorship"
    assert direction_of(sme(), buyer()) == "trade_buyer"
    assert direction_of(buyer(), sme()) == "trade_sme"


def _mentorship_history(sme, mentor, n=120, seed=3):
    """Mentors accept SMEs that speak their language and decline the others."""
    rng = np.random.default_rng(seed)
    pairs, outcomes = [], []
    for _ in range(n):
        speaks = bool(rng.integers(2))
        pairs.append((sme(languages=("es",)),
                      mentor("detroit", languages=("es",) if speaks else ("en",),
                             expertise=("financing",))))
        outcomes.append(int(speaks) if rng.random() > 0.05 else int(not speaks))
    return pairs, outcomes


def test_train_scorers_promotes_a_better_model(bundle, sme, mentor):
    pairs, outcomes = _mentorship_history(sme, mentor)
    report = train_scorers(bundle, pairs, outcomes)
    assert report.promoted == ("mentorship",)
    details = report.directions["mentorship"]
    assert details["candidate"]["log_loss"] < details["current"]["log_loss"]
    learned = report.bundle.scorers["mentorship"]
    assert learned.n_samples_ > 0
    assert learned.weights_["language"] > 1.0
    assert report.bundle.version != bundle.version
    assert report.bundle.scorers["trade_buyer"] is bundle.scorers["trade_buyer"]


def test_train_scorers_skips_directions_with_few_outcomes(bundle, sme, buyer):
    pairs = [(sme(), buyer()) for _ in range(5)]
    report = train_scorers(bundle, pairs, [1, 0, 1, 0, 1])
    assert report.promoted == () and report.bundle is bundle
    assert "skipped" in report.directions["trade_buyer"]


@pytest.mark.parametrize("outcomes", [[1], [1, 2]])
def test_train_scorers_rejects_bad_outcomes(bundle, sme, mentor, outcomes):
    with pytest.raises(TrainingError):
        train_scorers(bundle, [(sme(), mentor()), (sme(), mentor())], outcomes)


def test_score_outcomes(bundle):
    scorer = bundle.scorers["mentorship"]
    X = np.zeros((4, len(MENTORSHIP.factors)))
    X[:2] = 1.0
    metrics = score_outcomes(scorer, X, np.array([1, 1, 0, 0]))
    assert metrics["roc_auc"] == 1.0 and metrics["accuracy"] == 1.0
