"""The scorer: a logistic combination of factor similarities, ``σ(w·s + b)``.

Default weights are hand-set priors (logit units), one set per scoring direction:

* ``mentorship`` (SME↔mentor). Expertise covering the SME's needs is what mentoring is for
  (needs 2.5); a shared language is what makes it possible (language 1.5, and by default also a
  hard filter); the mentor's industry and the words of the needs and bio confirm it (sector
  1.5, text 2.0 — TF-IDF cosines of short texts rarely exceed 0.4); knowing the SME's target
  markets helps export mentoring (markets 1.0); proximity allows visits (location 1.0); a
  mentor based in a target market across the border is a bonus (cross_border 0.5).
  Bias -4: a mentor who only shares a language scores about 0.1, one who matches needs,
  sector and language about 0.7.
* ``trade_buyer`` — does the buyer want what the SME offers? Products and sector (text 2.5,
  sector 2.0), required certifications held (needs 1.5), the SME's country being one the buyer
  sources from (sourcing 1.0), freight distance (location 0.75), language (0.5). Bias -3.5.
* ``trade_sme`` — does the SME want the buyer's market? The buyer's country being a target
  market (markets 2.0), buying in its sector (sector 1.5, text 1.5), crossing a border (0.5),
  language and distance (0.75, 0.5), a buyer open to its country and requirements it meets
  (sourcing 0.5, needs 0.5). Bias -3.

``fit(pair_features, outcomes)`` replaces the priors by weights learned with scikit-learn's
``LogisticRegression``; ``fit()`` without outcomes adopts the priors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_array, check_is_fitted

from .errors import TrainingError

__all__ = ["DEFAULT_BIAS", "DEFAULT_WEIGHTS", "LinearScorer", "default_scorers",
           "harmonic_mean", "sigmoid"]

DEFAULT_WEIGHTS: Mapping[str, tuple[tuple[str, float], ...]] = {
    "mentorship": (("sector", 1.5), ("language", 1.5), ("needs", 2.5), ("text", 2.0),
                   ("location", 1.0), ("cross_border", 0.5), ("markets", 1.0)),
    "trade_buyer": (("sector", 2.0), ("language", 0.5), ("needs", 1.5), ("text", 2.5),
                    ("location", 0.75), ("cross_border", 0.0), ("markets", 0.0),
                    ("sourcing", 1.0)),
    "trade_sme": (("sector", 1.5), ("language", 0.75), ("needs", 0.5), ("text", 1.5),
                  ("location", 0.5), ("cross_border", 0.5), ("markets", 2.0),
                  ("sourcing", 0.5)),
}
DEFAULT_BIAS: Mapping[str, float] = {"mentorship": -4.0, "trade_buyer": -3.5, "trade_sme": -3.0}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return the logistic function of ``z``, elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def harmonic_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return ``2ab / (a + b)`` elementwise (0 where both are 0)."""
    total = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 2.0 * a * b / total, 0.0)


class LinearScorer(BaseEstimator):
    """Score factor similarities as ``σ(w·s + b)``.

    Parameters
    ----------
    factors : tuple of str
        Factor names, the column order of the feature matrices.
    weights : mapping of str to float, or None
        Prior weight of each factor (1.0 for factors not listed).
    bias : float
        Prior intercept.
    C : float
        Inverse regularisation strength of the logistic regression used by ``fit``.
    max_iter : int
        Iterations allowed to the logistic regression solver.

    Attributes
    ----------
    coef_ : ndarray of shape (n_factors,)
        Weights in use (priors, or learned by ``fit``).
    intercept_ : float
        Bias in use.
    n_samples_ : int
        Number of outcomes the weights were learned from (0 for priors).
    """

    def __init__(self, factors: Sequence[str] = (), weights: Mapping[str, float] | None = None,
                 bias: float = 0.0, C: float = 1.0, max_iter: int = 1000) -> None:
        self.factors = factors
        self.weights = weights
        self.bias = bias
        self.C = C
        self.max_iter = max_iter

    def fit(self, X: np.ndarray | None = None, y: np.ndarray | None = None,
            sample_weight: np.ndarray | None = None) -> LinearScorer:
        """Learn weights from pair features ``X`` and binary outcomes ``y``, or adopt priors.

        Raises
        ------
        TrainingError
            If ``y`` does not hold both outcomes or does not match ``X``.
        """
        weights = dict(self.weights or {})
        unknown = set(weights) - set(self.factors)
        if not self.factors or unknown:
            raise ValueError(f"factors must be non-empty and cover the weights {unknown}")
        self.n_features_in_ = len(self.factors)
        if y is None:
            self.coef_ = np.array([weights.get(f, 1.0) for f in self.factors], np.float64)
            self.intercept_ = float(self.bias)
            self.n_samples_ = 0
            return self
        X = check_array(X, dtype=np.float64)
        y = np.asarray(y).ravel()
        if X.shape != (y.size, len(self.factors)) or np.unique(y).size != 2:
            raise TrainingError("need one row of every factor per outcome, and both outcomes")
        model = LogisticRegression(C=self.C, max_iter=self.max_iter)
        model.fit(X, y, sample_weight=sample_weight)
        self.coef_ = model.coef_[0].astype(np.float64)
        self.intercept_ = float(model.intercept_[0])
        self.classes_ = model.classes_
        self.n_samples_ = int(y.size)
        return self

    @property
    def weights_(self) -> dict[str, float]:
        """Return the weights in use, by factor name."""
        check_is_fitted(self)
        return {f: float(w) for f, w in zip(self.factors, self.coef_, strict=True)}

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Return the logits ``X @ w + b`` of an ``(n, n_factors)`` feature matrix."""
        check_is_fitted(self)
        X = check_array(X, dtype=np.float64)
        return X @ self.coef_ + self.intercept_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Return ``[[1 - p, p], ...]`` with ``p = σ(X @ w + b)``."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack((1.0 - p, p))

    def combine(self, factors: Mapping[str, np.ndarray]) -> np.ndarray:
        """Return the float32 logits of factor arrays given by name (the ranking fast path).

        Arrays may be float32 or bool (yes/no factors).
        """
        check_is_fitted(self)
        first = factors[self.factors[0]]
        z = np.full(first.shape, self.intercept_, dtype=np.float32)
        term = np.empty_like(z)
        for name, weight in zip(self.factors, self.coef_, strict=True):
            if weight != 0.0:
                np.multiply(factors[name], np.float32(weight), out=term)
                z += term
        return z

    def contributions(self, factors: Mapping[str, float]) -> dict[str, float]:
        """Return ``w_i * s_i`` for each factor of one pair."""
        check_is_fitted(self)
        return {f: float(w * factors[f]) for f, w in zip(self.factors, self.coef_, strict=True)}


def default_scorers(factors_by_direction: Mapping[str, Sequence[str]]) -> dict[str, LinearScorer]:
    """Return one prior-weighted, fitted scorer per direction."""
    return {
        direction: LinearScorer(factors=tuple(factors), weights=dict(DEFAULT_WEIGHTS[direction]),
                                bias=DEFAULT_BIAS[direction]).fit()
        for direction, factors in factors_by_direction.items()
    }
