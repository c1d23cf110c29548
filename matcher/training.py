"""Learn scorer weights from introduction outcomes, and promote them only when better.

An introduction is a ``(requester, target)`` pair of profiles and an outcome (1 accepted,
0 declined). The outcome is the *target's* decision, so it teaches the scoring direction of the
target's side: ``mentorship`` for SME↔mentor, ``trade_buyer`` when a buyer decided and
``trade_sme`` when an SME did. For each direction with enough outcomes, a
:class:`~matcher.scorer.LinearScorer` is fitted on a stratified training split and compared
with the bundle's current scorer on the held-out split; it replaces it only if its held-out
log loss is lower.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

from .bundle import ModelBundle
from .errors import TrainingError
from .evaluation import ndcg_at_k
from .factors import compute_factors, pairing_for
from .features import encode_profiles
from .records import ProfileRecord
from .scorer import LinearScorer

__all__ = ["TrainingReport", "direction_of", "pair_features", "score_outcomes",
           "train_scorers"]


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

    NDCG@5 ranks each requester's held-out targets by predicted probability, gains being the
    outcomes, and averages over requesters with at least one positive outcome.
    """
    p = scorer.predict_proba(X)[:, 1]
    metrics = {"log_loss": float(log_loss(y, p, labels=[0, 1])),
               "roc_auc": float(roc_auc_score(y, p)) if np.unique(y).size == 2 else float("nan"),
               "accuracy": float(np.mean((p >= 0.5) == (y == 1)))}
    if groups is not None:
        metrics["ndcg@5"] = _grouped_ndcg(p, y, groups)
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
    """What :func:`train_scorers` learned, per direction, and the resulting bundle."""

    bundle: ModelBundle
    promoted: tuple[str, ...]
    directions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def train_scorers(bundle: ModelBundle,
                  pairs: Sequence[tuple[ProfileRecord, ProfileRecord]],
                  outcomes: Sequence[int], *, test_size: float = 0.25, seed: int = 0,
                  min_outcomes: int = 20, C: float = 1.0) -> TrainingReport:
    """Fit one scorer per direction with enough outcomes; keep those that beat the current.

    Returns a report whose ``bundle`` is ``bundle`` itself when nothing was promoted, else a
    new bundle (new version) with the promoted scorers.

    Raises
    ------
    TrainingError
        If ``pairs`` and ``outcomes`` differ in length or outcomes are not 0/1.
    """
    y_all = np.asarray(outcomes)
    if len(pairs) != y_all.size or not np.isin(y_all, (0, 1)).all():
        raise TrainingError("need one 0/1 outcome per (requester, target) pair")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (requester, target) in enumerate(pairs):
        groups[direction_of(requester, target)].append(i)
    report, promoted = {}, {}
    for direction, rows in sorted(groups.items()):
        X = np.vstack([pair_features(bundle, pairs[i][0], [pairs[i][1]]) for i in rows])
        requesters = np.array([pairs[i][0].id for i in rows])
        result = _train_direction(bundle.scorers[direction], X, y_all[rows], requesters,
                                  test_size, seed, min_outcomes, C)
        report[direction] = result
        if result.get("promoted"):
            promoted[direction] = result.pop("scorer")
        result.pop("scorer", None)
    if not promoted:
        return TrainingReport(bundle, (), report)
    training = {"n_outcomes": int(y_all.size), "metrics": report}
    return TrainingReport(bundle.with_scorers(promoted, training=training),
                          tuple(sorted(promoted)), report)


def _train_direction(current: LinearScorer, X: np.ndarray, y: np.ndarray, groups: np.ndarray,
                     test_size: float, seed: int, min_outcomes: int, C: float) -> dict[str, Any]:
    counts = np.bincount(y, minlength=2)
    if y.size < min_outcomes or counts.min() < 2:
        return {"n_outcomes": int(y.size), "promoted": False,
                "skipped": f"needs {min_outcomes} outcomes with both results"}
    X_train, X_test, y_train, y_test, _, g_test = train_test_split(
        X, y, groups, test_size=test_size, random_state=seed, stratify=y)
    candidate = LinearScorer(factors=current.factors, weights=current.weights,
                             bias=current.bias, C=C).fit(X_train, y_train)
    before = score_outcomes(current, X_test, y_test, g_test)
    after = score_outcomes(candidate, X_test, y_test, g_test)
    return {"n_outcomes": int(y.size), "n_test": int(y_test.size), "current": before,
            "candidate": after, "weights": candidate.weights_,
            "promoted": after["log_loss"] < before["log_loss"], "scorer": candidate}
