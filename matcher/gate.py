"""The promotion gate: a challenger replaces the champion only when it ranks better than
noise could explain.

Outcomes are **graded** (:data:`GRADES`): 0 declined, 1 accepted, 2 met (or a mentoring
session), 3 an order placed (or a mentoring goal achieved), 4 a repeat order; an outcome of
grade ``g >= 1`` is an acceptance whose *gain* is ``2**g - 1`` (1, 3, 7, 15). With only 0/1
grades every measure below is the plain, unweighted one.

Both models are compared on held-out outcomes (a requester's outcomes are never on both sides
of a split) by two ranking measures: ROC AUC over all pairs, each acceptance weighted by its
gain (the chance that an acceptance, drawn in proportion to what it led to, outranks a
decline), and graded NDCG@5 per requester (gain ``2**grade - 1``, averaged over requesters
with an acceptance). The uncertainty of each
difference is its standard error over a bootstrap of requesters (a requester's outcomes are
drawn together). The challenger is promoted only when

* there are at least :data:`MIN_GATE_OUTCOMES` held-out outcomes, :data:`MIN_EACH_OUTCOME` of
  each result;
* its AUC gain is at least :data:`MIN_AUC_GAIN` and more than :data:`Z` standard errors;
* its NDCG@5 is not worse by more than :data:`Z` standard errors.

``Z = 3.5`` (a one-sided false-promotion rate near 0.02% per direction and run when the
labels carry no signal, were the bootstrap's error exact) is strict on purpose: a wrong
promotion costs every requester's ranking, a late one only delays a gain. At 3 the simulated
program's coin flips were promoted once in 100 runs of 1,000 outcomes (a gain of 0.0639 against
a margin of 0.0634: the bootstrap of a few hundred requesters understates the error a
little). Otherwise the champion stays, and the decision says why, as a code with parameters
(:func:`describe_decision` words it in English for the command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["GRADES", "MAX_GRADE", "MIN_AUC_GAIN", "MIN_EACH_OUTCOME", "MIN_GATE_OUTCOMES",
           "N_BOOTSTRAP", "Z", "accepted", "compare", "decide", "describe_decision", "gain_weights",
           "group_folds", "ndcg_by_group", "weighted_auc"]

GRADES = {"declined": 0, "accepted": 1, "met": 2, "order": 3, "repeat_order": 4}
"""Grade of an introduction's outcome by the furthest confirmed step it reached."""
MAX_GRADE = 4

MIN_GATE_OUTCOMES = 200
MIN_EACH_OUTCOME = 20
MIN_AUC_GAIN = 0.01
Z = 3.5
N_BOOTSTRAP = 400


def group_folds(groups: np.ndarray, n_folds: int, seed: int = 0) -> np.ndarray:
    """Return a fold number per row such that all rows of one group share a fold.

    Groups are dealt to folds in a seeded random order, so folds hold about as many groups.
    """
    labels, index = np.unique(groups, return_inverse=True)
    order = np.random.default_rng(seed).permutation(labels.size)
    fold_of_group = np.empty(labels.size, np.int64)
    fold_of_group[order] = np.arange(labels.size) % max(1, min(n_folds, labels.size))
    return fold_of_group[index]


def accepted(grades: np.ndarray) -> np.ndarray:
    """Return 1 where the graded outcome is an acceptance (grade >= 1), else 0."""
    return (np.asarray(grades) >= 1).astype(np.int64)


def gain_weights(grades: np.ndarray) -> np.ndarray:
    """Return each outcome's weight: its gain ``2**grade - 1`` if accepted, 1 if declined.

    All ones when no grade exceeds 1, so binary outcomes weigh as before.
    """
    grades = np.asarray(grades, np.float64)
    return np.where(grades >= 1, 2.0 ** grades - 1.0, 1.0)


def weighted_auc(scores: np.ndarray, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return the ROC AUC of ``scores`` under each row of ``weights`` (ties count half).

    Parameters
    ----------
    scores, y : ndarray of shape (n,)
    weights : ndarray of shape (b, n)
        Non-negative weight of every outcome, one row per resample.
    """
    order = np.argsort(scores, kind="stable")
    s, label, w = scores[order], y[order].astype(np.float64), weights[:, order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    pos = np.add.reduceat(w * label, starts, axis=1)
    neg = np.add.reduceat(w * (1.0 - label), starts, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    pairs = pos.sum(axis=1) * neg.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pairs > 0, (pos * (below + 0.5 * neg)).sum(axis=1) / pairs, np.nan)


def ndcg_by_group(scores: np.ndarray, y: np.ndarray, group_index: np.ndarray, n_groups: int,
                  k: int = 5) -> np.ndarray:
    """Return each group's graded NDCG@k of its outcomes ranked by ``scores``.

    ``y`` holds grades; the gain of grade ``g`` is ``2**g - 1`` (so 0/1 outcomes count 0/1).
    NaN for a group with no acceptance.
    """
    out = np.full(n_groups, np.nan)
    gains = 2.0 ** np.asarray(y, np.float64) - 1.0
    order = np.lexsort((-scores, group_index))
    starts = np.searchsorted(group_index[order], np.arange(n_groups + 1))
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    for g in range(n_groups):
        ranked = gains[order[starts[g]:starts[g + 1]]]
        if ranked.any():
            top, best = ranked[:k], np.sort(ranked)[::-1][:k]
            out[g] = float(top @ discount[:top.size]) / float(best @ discount[:best.size])
    return out


def compare(champion: np.ndarray, challenger: np.ndarray, y: np.ndarray, groups: np.ndarray,
            *, seed: int = 0, n_bootstrap: int = N_BOOTSTRAP, k: int = 5) -> dict[str, Any]:
    """Return AUC and NDCG@k of both score vectors, their differences and standard errors.

    ``y`` holds graded outcomes (0/1 for plain acceptance); the AUC weighs each acceptance by
    its gain, the NDCG is graded. The standard errors come from ``n_bootstrap`` resamples of
    the groups (requesters).
    """
    labels, group_index = np.unique(groups, return_inverse=True)
    n_groups = labels.size
    rng = np.random.default_rng(seed)
    counts = np.vstack([np.ones((1, n_groups)),
                        rng.multinomial(n_groups, np.full(n_groups, 1.0 / n_groups),
                                        size=n_bootstrap)])
    weights = counts[:, group_index] * gain_weights(y)
    auc = [weighted_auc(s, accepted(y), weights) for s in (champion, challenger)]
    per_group = [ndcg_by_group(s, y, group_index, n_groups, k) for s in (champion, challenger)]
    has = ~np.isnan(per_group[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        ndcg = [counts[:, has] @ v[has] / counts[:, has].sum(axis=1) for v in per_group]
    return {"n_requesters": int(n_groups),
            "roc_auc": _summary(auc), f"ndcg@{k}": _summary(ndcg)}


def _summary(values: list[np.ndarray]) -> dict[str, float]:
    """Return the sample's values (row 0) and the bootstrap standard error of the difference."""
    difference = values[1] - values[0]
    resampled = difference[1:][np.isfinite(difference[1:])]
    return {"champion": float(values[0][0]), "challenger": float(values[1][0]),
            "difference": float(difference[0]),
            "se": float(np.std(resampled, ddof=1)) if resampled.size > 1 else float("nan")}


def decide(comparison: Mapping[str, Any], y: np.ndarray) -> dict[str, Any]:
    """Return ``{"promoted", "code", "params"}``: whether the challenger passes the gate, why.

    Codes: ``too_few_outcomes``, ``auc_gain_too_small``, ``auc_gain_within_noise``,
    ``ndcg_worse``, ``beats_champion``.
    """
    counts = np.bincount(accepted(y), minlength=2)
    if y.size < MIN_GATE_OUTCOMES or counts.min() < MIN_EACH_OUTCOME:
        return _decision("too_few_outcomes", n=int(y.size), accepted=int(counts[1]),
                         minimum=MIN_GATE_OUTCOMES, minimum_each=MIN_EACH_OUTCOME)
    auc, ndcg = comparison["roc_auc"], comparison["ndcg@5"]
    gain, margin = auc["difference"], Z * auc["se"]
    if not gain >= MIN_AUC_GAIN:
        return _decision("auc_gain_too_small", gain=gain, minimum=MIN_AUC_GAIN)
    if not gain > margin:
        return _decision("auc_gain_within_noise", gain=gain, margin=margin)
    if not ndcg["difference"] >= -Z * ndcg["se"]:
        return _decision("ndcg_worse", difference=ndcg["difference"], margin=Z * ndcg["se"])
    return _decision("beats_champion", gain=gain, margin=margin)


def _decision(code: str, **params: Any) -> dict[str, Any]:
    return {"promoted": code == "beats_champion", "code": code, "params": params}


_DESCRIPTIONS = {
    "too_few_outcomes": "too few held-out outcomes ({n}, {accepted} accepted; needs {minimum}, "
                        "{minimum_each} of each result)",
    "auc_gain_too_small": "AUC gain {gain:+.3f} is below the minimum {minimum:.3f}",
    "auc_gain_within_noise": "AUC gain {gain:+.3f} is within the noise (needs more than "
                             "{margin:.3f}, 3.5 bootstrap standard errors)",
    "ndcg_worse": "NDCG@5 is worse by {difference:+.3f} (noise margin {margin:.3f})",
    "beats_champion": "AUC gain {gain:+.3f} exceeds the noise margin {margin:.3f}",
}


def describe_decision(decision: Mapping[str, Any]) -> str:
    """Return a gate decision in English (for the command line and scripts)."""
    params = {k: float("nan") if v is None else v for k, v in decision["params"].items()}
    return _DESCRIPTIONS[decision["code"]].format(**params)
