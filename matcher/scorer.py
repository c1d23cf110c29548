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
  sources from (sourcing 1.0), freight distance (location 0.75), language (0.5), a diversity
  goal met (diversity 1.0). Bias -3.5.
* ``trade_sme`` — does the SME want the buyer's market? The buyer's country being a target
  market (markets 2.0), buying in its sector (sector 1.5, text 1.5), crossing a border (0.5),
  language and distance (0.75, 0.5), a buyer open to its country and requirements it meets
  (sourcing 0.5, needs 0.5). Bias -3.
* ``diversity`` — the SME declared an ownership group the buyer's supplier-diversity goals
  name: the buyer wants it (trade_buyer 1.0, as much as sourcing from its country); the SME's
  side does not weigh it (0).

Interaction terms (``DEFAULT_INTERACTIONS``, e.g. ``language*needs``: a shared language *and*
needs covered) let a learned model express what a sum of factors cannot; each is a named term
``w · s_a · s_b`` with its own contribution, so explanations stay additive. Their prior weight
is 0, so the hand-set model is the plain linear sum.

``fit(pair_features, outcomes)`` learns weights by a logistic regression whose L2 penalty is
centred on the prior weights (the champion's, when a challenger is trained), not on 0
(:mod:`matcher.shrinkage`); ``fit()`` without outcomes adopts the priors.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_array, check_is_fitted

from .errors import TrainingError
from .fitted import check_fitted
from .shrinkage import fit_logistic_toward

__all__ = ["DEFAULT_BIAS", "DEFAULT_INTERACTIONS", "DEFAULT_WEIGHTS", "INTERACTION_SEP",
           "LinearScorer", "default_scorers", "harmonic_mean", "sigmoid"]

INTERACTION_SEP = "*"
"""Joins the two factor names of an interaction term (``language*needs``)."""

DEFAULT_WEIGHTS: Mapping[str, tuple[tuple[str, float], ...]] = {
    "mentorship": (("sector", 1.5), ("language", 1.5), ("needs", 2.5), ("text", 2.0),
                   ("location", 1.0), ("cross_border", 0.5), ("markets", 1.0)),
    "trade_buyer": (("sector", 2.0), ("language", 0.5), ("needs", 1.5), ("text", 2.5),
                    ("location", 0.75), ("cross_border", 0.0), ("markets", 0.0),
                    ("sourcing", 1.0), ("diversity", 1.0)),
    "trade_sme": (("sector", 1.5), ("language", 0.75), ("needs", 0.5), ("text", 1.5),
                  ("location", 0.5), ("cross_border", 0.5), ("markets", 2.0),
                  ("sourcing", 0.5), ("diversity", 0.0)),
}
DEFAULT_BIAS: Mapping[str, float] = {"mentorship": -4.0, "trade_buyer": -3.5, "trade_sme": -3.0}
DEFAULT_INTERACTIONS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "mentorship": (("language", "needs"), ("needs", "sector")),
    "trade_buyer": (("needs", "text"), ("sector", "text")),
    "trade_sme": (("markets", "sector"),),
}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return the logistic function of ``z``, elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def harmonic_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return ``2ab / (a + b)`` elementwise (0 where both are 0)."""
    total = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 2.0 * a * b / total, 0.0)


class LinearScorer(BaseEstimator):
    """Score factor similarities as ``σ(w·t + b)``, ``t`` the factors then their interactions.

    Parameters
    ----------
    factors : tuple of str
        Factor names, the column order of the feature matrices.
    weights : mapping of str to float, or None
        Prior weight of each term (1.0 for factors, 0.0 for interactions not listed); ``fit``
        shrinks learned weights toward them.
    bias : float
        Prior intercept.
    C : float
        Inverse strength of the penalty pulling learned weights toward the priors.
    max_iter : int
        Iterations allowed to the solver.
    interactions : tuple of (str, str)
        Pairs of factors whose product is a term of its own, named ``"a*b"``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_terms,)
        Weights in use (priors, or learned by ``fit``), factors first, then interactions.
    intercept_ : float
        Bias in use.
    n_samples_ : int
        Number of outcomes the weights were learned from (0 for priors).
    """

    def __init__(self, factors: Sequence[str] = (), weights: Mapping[str, float] | None = None,
                 bias: float = 0.0, C: float = 1.0, max_iter: int = 1000,
                 interactions: Sequence[tuple[str, str]] = ()) -> None:
        self.factors = factors
        self.weights = weights
        self.bias = bias
        self.C = C
        self.max_iter = max_iter
        self.interactions = interactions

    @property
    def terms(self) -> tuple[str, ...]:
        """Return the names of the scored terms: the factors, then ``"a*b"`` interactions."""
        return tuple(self.factors) + tuple(INTERACTION_SEP.join(p) for p in self._pairs)

    @property
    def _pairs(self) -> tuple[tuple[str, str], ...]:
        # Bundles saved before interactions existed have no such attribute.
        return tuple(tuple(p) for p in getattr(self, "interactions", ()))

    def fit(self, X: np.ndarray | None = None, y: np.ndarray | None = None,
            sample_weight: np.ndarray | None = None) -> LinearScorer:
        """Learn weights from pair features ``X`` and binary outcomes ``y``, or adopt priors.

        Raises
        ------
        TrainingError
            If ``y`` does not hold both outcomes or does not match ``X``.
        """
        weights = dict(self.weights or {})
        unknown = set(weights) - set(self.terms)
        missing = {f for pair in self._pairs for f in pair} - set(self.factors)
        if not self.factors or unknown or missing:
            raise ValueError(f"factors must be non-empty and cover the weights {unknown} "
                             f"and the interactions {missing}")
        self.n_features_in_ = len(self.factors)
        prior = np.array([weights.get(t, 1.0 if t in self.factors else 0.0)
                          for t in self.terms], np.float64)
        if y is None:
            self.coef_, self.intercept_, self.n_samples_ = prior, float(self.bias), 0
            return self
        X = check_array(X, dtype=np.float64)
        y = np.asarray(y).ravel()
        if X.shape != (y.size, len(self.factors)) or np.unique(y).size != 2:
            raise TrainingError("need one row of every factor per outcome, and both outcomes")
        self.coef_, self.intercept_ = fit_logistic_toward(
            self._design(X), y, prior, float(self.bias), self.C, sample_weight, self.max_iter)
        self.classes_ = np.array([0, 1])
        self.n_samples_ = int(y.size)
        return self

    def _design(self, X: np.ndarray) -> np.ndarray:
        """Return ``X`` with one product column appended per interaction."""
        if not self._pairs:
            return X
        column = {f: i for i, f in enumerate(self.factors)}
        products = [X[:, column[a]] * X[:, column[b]] for a, b in self._pairs]
        return np.column_stack([X, *products])

    @property
    def weights_(self) -> dict[str, float]:
        """Return the weights in use, by term name (factors, then interactions)."""
        check_fitted(self, "coef_")
        return {t: float(w) for t, w in zip(self.terms, self.coef_, strict=True)}

    def shifted(self, delta: float) -> LinearScorer:
        """Return a copy whose intercept is moved by ``delta`` (same order of scores)."""
        check_is_fitted(self)
        new = copy.deepcopy(self)
        new.intercept_ = float(self.intercept_ + delta)
        return new

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Return the logits ``t @ w + b`` of an ``(n, n_factors)`` feature matrix."""
        check_is_fitted(self)
        X = check_array(X, dtype=np.float64)
        return self._design(X) @ self.coef_ + self.intercept_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Return ``[[1 - p, p], ...]`` with ``p = σ(X @ w + b)``."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack((1.0 - p, p))

    def combine(self, factors: Mapping[str, np.ndarray],
                absent: Collection[str] = ()) -> np.ndarray:
        """Return the float32 logits of factor arrays given by name (the ranking fast path).

        Arrays may be float32 or bool (yes/no factors). Factors named in ``absent`` are taken
        as 0 everywhere (no array needed, no pass over one; an interaction involving one
        must weigh 0).
        """
        check_fitted(self, "coef_")
        first = next(factors[name] for name in self.factors if name not in absent)
        z = np.full(first.shape, self.intercept_, dtype=np.float32)
        term = np.empty_like(z)
        n = len(self.factors)
        for name, weight in zip(self.factors, self.coef_[:n], strict=True):
            if weight != 0.0 and name not in absent:
                np.multiply(factors[name], np.float32(weight), out=term)
                z += term
        for (a, b), weight in zip(self._pairs, self.coef_[n:], strict=True):
            if weight != 0.0:
                np.multiply(factors[a], factors[b], out=term)
                z += term * np.float32(weight)
        return z

    def linear_weights(self) -> dict[str, float] | None:
        """Return each factor's weight when the logit is a plain weighted sum of the factors
        (no interaction weighs anything), else None."""
        check_fitted(self, "coef_")
        n = len(self.factors)
        if any(weight != 0.0 for weight in self.coef_[n:]):
            return None
        return {name: float(weight) for name, weight in zip(self.factors, self.coef_[:n],
                                                             strict=True)}

    def term_range(self, factor: str) -> tuple[float, float] | None:
        """Return the least and the most a factor's term adds to a logit while the factor lies
        in [0, 1] (``(min(0, w), max(0, w))``), or None when an interaction with a non-zero
        weight involves the factor: its range would depend on the other factor's value."""
        weights = self.weights_
        if any(factor in pair and weights[INTERACTION_SEP.join(pair)] != 0.0
               for pair in self._pairs):
            return None
        weight = weights.get(factor, 0.0)
        return min(0.0, weight), max(0.0, weight)

    def term_values(self, factors: Mapping[str, float]) -> dict[str, float]:
        """Return the value of every term of one pair: its factors, then their products."""
        values = {f: float(factors[f]) for f in self.factors}
        for a, b in self._pairs:
            values[INTERACTION_SEP.join((a, b))] = values[a] * values[b]
        return values

    def contributions(self, factors: Mapping[str, float]) -> dict[str, float]:
        """Return ``w_i * t_i`` for each factor, and each interaction whose weight is not 0."""
        check_fitted(self, "coef_")
        values = self.term_values(factors)
        # The weights as Python floats (the same doubles): NumPy scalars cost more per term.
        return {t: w * values[t] for t, w in zip(self.terms, self.coef_.tolist(), strict=True)
                if w != 0.0 or t in self.factors}


def default_scorers(factors_by_direction: Mapping[str, Sequence[str]]) -> dict[str, LinearScorer]:
    """Return one prior-weighted, fitted scorer per direction."""
    return {
        direction: LinearScorer(factors=tuple(factors), weights=dict(DEFAULT_WEIGHTS[direction]),
                                bias=DEFAULT_BIAS[direction],
                                interactions=DEFAULT_INTERACTIONS.get(direction, ())).fit()
        for direction, factors in factors_by_direction.items()
    }
