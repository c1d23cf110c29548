"""Tests of matcher.training: pair features, directions, learning and promotion."""

import numpy as np
import pytest

from matcher import MENTORSHIP, TRADE, TrainingError
from matcher.scorer import LinearScorer
from matcher.training import (
    DEFAULT_C,
    _fit_graded,
    direction_of,
    pair_features,
    score_outcomes,
    train_scorers,
)


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


def _mentorship_history(sme, mentor, rule, n=400, seed=3):
    """Outcomes of requests from distinct SMEs to near or far mentors with or without the
    SME's need (certification) as expertise; ``rule(near, expert)`` is the acceptance chance."""
    rng = np.random.default_rng(seed)
    pairs, outcomes = [], []
    for _ in range(n):
        near, expert = bool(rng.integers(2)), bool(rng.integers(2))
        pairs.append((sme(), mentor("el_paso" if near else "montreal",
                                    expertise=("certification",) if expert else ("financing",),
                                    bio="")))
        outcomes.append(int(rng.random() < rule(near, expert)))
    return pairs, outcomes


def test_a_rule_the_champion_ranks_wrongly_is_learned_and_promoted(bundle, sme, mentor):
    # Mentors here care only about meeting in person; the priors favour expertise.
    pairs, outcomes = _mentorship_history(sme, mentor, lambda near, expert: 0.7 * near + 0.1)
    report = train_scorers(bundle, pairs, outcomes)
    assert report.promoted == ("mentorship",) and report.recalibrated == ()
    details = report.directions["mentorship"]
    assert details["decision"]["code"] == "beats_champion"
    comparison = details["comparison"]["roc_auc"]
    assert comparison["difference"] > 3 * comparison["se"] > 0
    learned = report.bundle.scorers["mentorship"]
    assert learned.n_samples_ == 400
    assert learned.weights_["location"] > 1.0 + bundle.scorers["mentorship"].weights_["location"]
    assert report.bundle.version != bundle.version
    assert report.bundle.scorers["trade_buyer"] is bundle.scorers["trade_buyer"]


@pytest.mark.parametrize("seed", range(3))
def test_coin_flip_outcomes_are_never_promoted_but_recalibrate(bundle, sme, mentor, seed):
    pairs, outcomes = _mentorship_history(sme, mentor, lambda near, expert: 0.5, seed=seed)
    report = train_scorers(bundle, pairs, outcomes, seed=seed)
    assert report.promoted == () and report.recalibrated == ("mentorship",)
    details = report.directions["mentorship"]
    assert not details["promoted"] and details["decision"]["code"] != "beats_champion"
    kept = report.bundle.scorers["mentorship"]
    champion = bundle.scorers["mentorship"]
    assert kept.weights_ == champion.weights_  # same order of scores
    assert kept.intercept_ != champion.intercept_
    assert details["calibrated"]["calibration_error"] < details["current"]["calibration_error"]


def test_a_rule_the_champion_already_ranks_right_keeps_the_champion(bundle, sme, mentor):
    pairs, outcomes = _mentorship_history(sme, mentor, lambda near, expert: 0.1 + 0.6 * expert)
    report = train_scorers(bundle, pairs, outcomes)
    assert report.promoted == ()
    assert report.directions["mentorship"]["decision"]["code"] in (
        "auc_gain_too_small", "auc_gain_within_noise")


def test_held_out_outcomes_are_split_by_requester(bundle, sme, mentor):
    # One SME asked everyone: a random split across its pairs would leak; folds cannot.
    requester = sme()
    pairs, outcomes = _mentorship_history(lambda: requester, mentor,
                                          lambda near, expert: 0.7 * near + 0.1)
    result = train_scorers(bundle, pairs, outcomes).directions["mentorship"]
    assert result["n_requesters"] == 1
    assert not result["promoted"]


def test_train_scorers_skips_directions_with_few_outcomes(bundle, sme, buyer):
    pairs = [(sme(), buyer()) for _ in range(5)]
    report = train_scorers(bundle, pairs, [1, 0, 1, 0, 1])
    assert report.promoted == () and report.bundle is bundle
    assert "skipped" in report.directions["trade_buyer"]
    assert report.directions["trade_buyer"]["decision"]["code"] == "too_few_outcomes"


def _graded_history(sme, mentor, n=1000, seed=4):
    """Far mentors accept more often (60% against 40%), but only near mentors' mentorships go
    on to a goal achieved (grade 3; 80% of them against 5%); the others stop at accepted."""
    rng = np.random.default_rng(seed)
    pairs, grades = [], []
    for _ in range(n):
        near, expert = bool(rng.integers(2)), bool(rng.integers(2))
        pairs.append((sme(), mentor("el_paso" if near else "montreal",
                                    expertise=("certification",) if expert else ("financing",),
                                    bio="")))
        accepted = rng.random() < (0.4 if near else 0.6)
        goal = accepted and rng.random() < (0.8 if near else 0.05)
        grades.append(3 if goal else int(accepted))
    return pairs, grades


def test_graded_outcomes_keep_a_model_that_wins_acceptances_but_loses_goals(bundle, sme,
                                                                            mentor):
    pairs, grades = _graded_history(sme, mentor)
    near, far = mentor("el_paso", bio=""), mentor("montreal", bio="")
    X = np.vstack([pair_features(bundle, sme(), [m]) for m in (near, far)])
    # Learning from acceptance alone promotes a model that puts far mentors first ...
    binary = train_scorers(bundle, pairs, [min(g, 1) for g in grades])
    assert binary.promoted == ("mentorship",)
    p_near, p_far = binary.bundle.scorers["mentorship"].predict_proba(X)[:, 1]
    assert p_far > p_near
    # ... though a near mentor's introduction is worth more: 0.4 × (0.8 × 7 + 0.2) = 2.32
    # against 0.6 × (0.05 × 7 + 0.95) = 0.78 in expected gain. Graded outcomes see it.
    graded = train_scorers(bundle, pairs, grades)
    details = graded.directions["mentorship"]
    assert graded.promoted == () and details["decision"]["code"] != "beats_champion"
    assert details["grades"] == {"0": grades.count(0), "1": grades.count(1), "2": 0,
                                 "3": grades.count(3), "4": 0}
    p_near, p_far = graded.bundle.scorers["mentorship"].predict_proba(X)[:, 1]
    assert p_near > p_far
    weights = details["weights"]  # the challenger learned from grades leans toward near too
    assert weights["location"] > binary.directions["mentorship"]["weights"]["location"] + 0.5


def test_graded_fit_keeps_the_score_an_acceptance_probability(bundle, sme, mentor):
    pairs, grades = _graded_history(sme, mentor, n=400, seed=5)
    X = np.vstack([pair_features(bundle, s, [m]) for s, m in pairs])
    challenger = LinearScorer(factors=MENTORSHIP.factors, C=DEFAULT_C)
    fitted = _fit_graded(challenger, X, np.array(grades))
    p = fitted.predict_proba(X)[:, 1]
    assert p.mean() == pytest.approx(np.mean([g >= 1 for g in grades]), abs=0.01)


@pytest.mark.parametrize("outcomes", [[1], [1, 5], [1, -1]])
def test_train_scorers_rejects_bad_outcomes(bundle, sme, mentor, outcomes):
    with pytest.raises(TrainingError):
        train_scorers(bundle, [(sme(), mentor()), (sme(), mentor())], outcomes)


def test_score_outcomes(bundle):
    scorer = bundle.scorers["mentorship"]
    X = np.zeros((4, len(MENTORSHIP.factors)))
    X[:2] = 1.0
    metrics = score_outcomes(scorer, X, np.array([1, 1, 0, 0]))
    assert metrics["roc_auc"] == 1.0 and metrics["accuracy"] == 1.0
