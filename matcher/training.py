"""Learn scorer weights from introduction outcomes, and promote them only when better.

An introduction is a ``(requester, target)`` pair of profiles and a **graded** outcome
(:data:`matcher.gate.GRADES`: 0 declined, 1 accepted, 2 met or a mentoring session, 3 an
order or a goal achieved, 4 a repeat order). The acceptance is the *target's* decision, so
it teaches the scoring direction of the target's side: ``mentorship`` for SME↔mentor,
``trade_buyer`` when a buyer decided and ``trade_sme`` when an SME did. For each direction
(:func:`assess_direction`):

* **Held-out data are split by requester**: :data:`N_FOLDS` folds of requesters, every outcome
  held out once (cross-fitting), a requester's outcomes never on both sides.
* **Calibration**: with at least :data:`MIN_CALIBRATION_OUTCOMES` outcomes, the champion's
  intercept is refitted (its scores' order is unchanged) so that a score is an acceptance
  probability; reliability tables (predicted vs observed by bin) show it.
* **Challenger**: a :class:`~matcher.scorer.LinearScorer` with interaction terms, its weights
  shrunk toward the champion's (not toward 0). It still predicts acceptance, but each
  acceptance weighs its gain ``2**grade - 1`` in the fit (a met pair 3, an order 7, a repeat
  order 15, a decline 1), so its order follows the expected gain — acceptance times what
  accepted pairs like it led to — rather than acceptance alone; its intercept is then refitted
  on the unweighted outcomes, so that its score stays an acceptance probability. With 0/1
  outcomes this is the plain fit.
* **Gate** (:mod:`matcher.gate`): the challenger replaces the champion only if it ranks better
  (gain-weighted AUC, graded NDCG@5) by more than the bootstrap uncertainty, on enough
  held-out outcomes; else the (recalibrated) champion stays, and the decision records why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import log_loss, roc_auc_score

from .bundle import ModelBundle
from .calibration import calibration_error, reliability_table
from .errors import TrainingError
from .evaluation import ndcg_at_k
from .factors import compute_factors, pairing_for
from .features import encode_profiles
from .gate import MAX_GRADE, accepted, compare, decide, gain_weights, group_folds
from .records import ProfileRecord
from .scorer import DEFAULT_INTERACTIONS, LinearScorer, sigmoid
from .shrinkage import fit_offset_intercept

__all__ = ["DEFAULT_C", "MIN_CALIBRATION_OUTCOMES", "N_FOLDS", "TrainingReport",
           "assess_direction", "direction_of", "pair_features", "score_outcomes",
           "train_scorers"]

MIN_CALIBRATION_OUTCOMES = 50
"""Outcomes (at least 5 of each result) needed to refit the champion's intercept."""
N_FOLDS = 5
DEFAULT_C = 0.5
"""Inverse strength of the pull of learned weights toward the champion's."""


def direction_of(requester: ProfileRecord, target: ProfileRecord) -> str:
    """Return the scoring direction that the target's decision informs."""
    pairing = pairing_for(requester.kind, target.kind)
    if not pairing.reciprocal:
        return pairing.directions[0]
    return "trade_buyer" if target.kind == "buyer" else "trade_sme"


def pair_features(bundle: ModelBundle, query: ProfileRecord,
                  candidates: Sequence[ProfileRecord]) -> np.ndarray:
    """Return the ``(n, n_factors)`` factor matrix of ``query`` against each candidate.

    Columns follow the pairing's factor order; no hard filter is applied.
    """
    kinds = {c.kind for c in candidates}
    if len(kinds) != 1:
        raise TrainingError("candidates must be of exactly one kind")
    kind = kinds.pop()
    pairing = pairing_for(query.kind, kind)
    q = encode_profiles(bundle.encoders, [query], query.kind)
    c = encode_profiles(bundle.encoders, list(candidates), kind, fmt="csc")
    factors = compute_factors(pairing, q, c, bundle.encoders)
    return np.column_stack([factors[name] for name in pairing.factors]).astype(np.float64)


def score_outcomes(scorer: LinearScorer, X: np.ndarray, y: np.ndarray,
                   groups: np.ndarray | None = None) -> dict[str, float]:
    """Return held-out log loss, ROC AUC, accuracy and (with ``groups``) NDCG@5 of ``scorer``.

    ``y`` holds graded outcomes (0/1 for plain acceptance): log loss, AUC and accuracy judge
    the acceptance (grade >= 1); NDCG@5 ranks each requester's held-out targets by predicted
    probability with gain ``2**grade - 1`` and averages over requesters with an acceptance.
    """
    return _metrics(scorer.predict_proba(X)[:, 1], y, groups)


def _metrics(p: np.ndarray, grades: np.ndarray, groups: np.ndarray | None) -> dict[str, float]:
    y = accepted(grades)
    metrics = {"log_loss": float(log_loss(y, p, labels=[0, 1])),
               "roc_auc": float(roc_auc_score(y, p)) if np.unique(y).size == 2 else float("nan"),
               "accuracy": float(np.mean((p >= 0.5) == (y == 1)))}
    if groups is not None:
        metrics["ndcg@5"] = _grouped_ndcg(p, grades, groups)
    return metrics


def _grouped_ndcg(p: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int = 5) -> float:
    values = []
    for group in np.unique(groups):
        rows = np.flatnonzero(groups == group)
        if y[rows].any():
            order = rows[np.argsort(-p[rows], kind="stable")]
            values.append(ndcg_at_k(y[order].tolist(), k))
    return float(np.mean(values)) if values else float("nan")


@dataclass(frozen=True)
class TrainingReport:
    """What :func:`train_scorers` learned, per direction, and the resulting bundle.

    ``promoted`` lists directions whose challenger passed the gate, ``recalibrated`` those
    whose champion was kept with a refitted intercept.
    """

    bundle: ModelBundle
    promoted: tuple[str, ...]
    directions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    recalibrated: tuple[str, ...] = ()


def train_scorers(bundle: ModelBundle,
                  pairs: Sequence[tuple[ProfileRecord, ProfileRecord]],
                  outcomes: Sequence[int], *, seed: int = 0, C: float = DEFAULT_C,
                  ) -> TrainingReport:
    """Assess a challenger per direction; promote those that pass the gate, recalibrate others.

    Returns a report whose ``bundle`` is ``bundle`` itself when no scorer changed, else a new
    bundle (new version) with the promoted or recalibrated scorers.

    Raises
    ------
    TrainingError
        If ``pairs`` and ``outcomes`` differ in length or outcomes are not grades 0–4.
    """
    y_all = np.asarray(outcomes)
    if len(pairs) != y_all.size or not np.isin(y_all, np.arange(MAX_GRADE + 1)).all():
        raise TrainingError("need one graded outcome (0-4) per (requester, target) pair")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (requester, target) in enumerate(pairs):
        groups[direction_of(requester, target)].append(i)
    report, changed = {}, {}
    for direction, rows in sorted(groups.items()):
        X = np.vstack([pair_features(bundle, pairs[i][0], [pairs[i][1]]) for i in rows])
        requesters = np.array([pairs[i][0].id for i in rows])
        result = assess_direction(bundle.scorers[direction], X, y_all[rows].astype(np.int64),
                                  requesters, seed=seed, C=C,
                                  interactions=DEFAULT_INTERACTIONS.get(direction, ()))
        scorer = result.pop("scorer", None)
        if scorer is not None:
            changed[direction] = scorer
        report[direction] = result
    promoted = tuple(d for d in sorted(changed) if report[d]["promoted"])
    recalibrated = tuple(d for d in sorted(changed) if not report[d]["promoted"])
    if not changed:
        return TrainingReport(bundle, (), report)
    training = {"n_outcomes": int(y_all.size), "metrics": report}
    return TrainingReport(bundle.with_scorers(changed, training=training), promoted, report,
                          recalibrated)


def assess_direction(champion: LinearScorer, X: np.ndarray, y: np.ndarray,
                     groups: np.ndarray, *, seed: int = 0, C: float = DEFAULT_C,
                     interactions: Sequence[tuple[str, str]] = (),
                     n_folds: int = N_FOLDS) -> dict[str, Any]:
    """Recalibrate the champion and judge a challenger on outcomes held out by requester.

    Parameters
    ----------
    champion : LinearScorer
        The scorer in use.
    X : ndarray of shape (n, n_factors)
        Pair features (:func:`pair_features`).
    y : ndarray of shape (n,)
        Graded outcomes, 0 (declined) to 4 (repeat order); 0/1 for plain acceptance.
    groups : ndarray of shape (n,)
        Requester of each pair; a requester is never on both sides of a split.
    interactions : sequence of (str, str)
        Interaction terms of the challenger when the champion has none.

    Returns
    -------
    dict
        ``promoted``, ``decision`` (code, params), held-out metrics of the ``current``,
        ``calibrated`` and ``candidate`` models, the ``comparison``, ``calibration`` tables,
        learned ``weights``, and ``scorer``: the challenger if promoted, else the recalibrated
        champion, else None.
    """
    binary = accepted(y)
    counts = np.bincount(binary, minlength=2)
    grades = {str(g): int(n) for g, n in enumerate(np.bincount(y, minlength=MAX_GRADE + 1))}
    if y.size < MIN_CALIBRATION_OUTCOMES or counts.min() < 5:
        decision = decide({}, y)
        return {"n_outcomes": int(y.size), "grades": grades, "promoted": False,
                "decision": decision,
                "skipped": f"needs {MIN_CALIBRATION_OUTCOMES} outcomes with both results"}
    challenger = _challenger(champion, C, interactions)
    held_out = _cross_fit(champion, challenger, X, y, groups, n_folds, seed)
    comparison = compare(held_out["current"], held_out["candidate"], y, groups, seed=seed)
    decision = decide(comparison, y)
    challenger = _fit_graded(challenger, X, y)
    shift = fit_offset_intercept(champion.decision_function(X), binary)
    chosen = challenger if decision["promoted"] else champion.shifted(shift)
    probabilities = {name: sigmoid(z) for name, z in held_out.items()}
    return {"n_outcomes": int(y.size), "grades": grades,
            "n_requesters": comparison["n_requesters"],
            "promoted": decision["promoted"], "decision": decision,
            **{name: {**_metrics(p, y, groups),
                      "calibration_error": calibration_error(reliability_table(p, binary))}
               for name, p in probabilities.items()},
            "comparison": comparison, "intercept_shift": shift,
            "calibration": {name: reliability_table(p, binary)
                            for name, p in probabilities.items()},
            "weights": challenger.weights_, "scorer": chosen}


def _challenger(champion: LinearScorer, C: float,
                interactions: Sequence[tuple[str, str]]) -> LinearScorer:
    """Return an unfitted scorer whose priors are the champion's weights and intercept."""
    own = tuple(getattr(champion, "interactions", ()))
    return LinearScorer(factors=champion.factors, weights=champion.weights_,
                        bias=champion.intercept_, C=C, interactions=own or tuple(interactions))


def _cross_fit(champion: LinearScorer, challenger: LinearScorer, X: np.ndarray, y: np.ndarray,
               groups: np.ndarray, n_folds: int, seed: int) -> dict[str, np.ndarray]:
    """Return held-out logits of the champion, the recalibrated champion and the challenger.

    Each fold's requesters are scored by models fitted on the other folds only.
    """
    current = champion.decision_function(X)
    calibrated, candidate = current.copy(), current.copy()
    binary = accepted(y)
    folds = group_folds(groups, n_folds, seed)
    for fold in np.unique(folds):
        test, train = folds == fold, folds != fold
        if np.unique(binary[train]).size < 2:
            continue  # nothing to learn from: both keep the champion's scores
        calibrated[test] += fit_offset_intercept(current[train], binary[train])
        fitted = _fit_graded(clone(challenger), X[train], y[train])
        candidate[test] = fitted.decision_function(X[test])
    return {"current": current, "calibrated": calibrated, "candidate": candidate}


def _fit_graded(scorer: LinearScorer, X: np.ndarray, grades: np.ndarray) -> LinearScorer:
    """Fit acceptance with each acceptance weighted by its gain, then recalibrate.

    The weights turn the order toward the expected gain; refitting the intercept on the
    unweighted acceptances keeps the score an acceptance probability (the order is unchanged).
    With 0/1 grades the weights are all 1 and nothing is refitted.
    """
    binary, weights = accepted(grades), gain_weights(grades)
    if np.all(weights == 1.0):
        return scorer.fit(X, binary)
    scorer.fit(X, binary, sample_weight=weights)
    return scorer.shifted(fit_offset_intercept(scorer.decision_function(X), binary))
