"""Program rules in the engine: factor weights a coordinator sets, as scorers of their own.

A coordinator does not replace the model's weights, it **scales** them: each factor's weight
in use (the priors, or weights the learning gate promoted) is multiplied by the coordinator's
multiplier for that factor — 1 keeps the model as it is, 0 switches the factor off, 2 doubles
its say — within :data:`WEIGHT_RANGE`. An interaction term ``a*b`` is scaled by the geometric
mean of its two factors' multipliers (so it fades with either factor), and the intercept is
left alone. One set of multipliers serves both directions of a reciprocal pairing.

Scaling, rather than typing logit weights, keeps what the model learned, keeps one meaning
for every factor whatever the direction, and makes "all ones" exactly today's model. The
scaled scorers are ordinary fitted :class:`~matcher.scorer.LinearScorer` objects: ranking,
contributions and reasons are computed from them, so explanations follow the weights used.

The must-match rules themselves (same language, cross-border only, a minimum score, needs
covered) are :class:`~matcher.ranking.RankOptions` for rankings; :func:`unmet_rules` tells,
for one pair already explained, which of them it fails, by the same tests the ranking applies.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence

import numpy as np

from .errors import InvalidQueryError
from .factors import Pairing
from .records import ProfileRecord
from .scorer import INTERACTION_SEP, LinearScorer

__all__ = ["MUST_MATCH_RULES", "WEIGHT_RANGE", "check_multipliers", "scale_scorer",
           "scaled_scorers", "score_without", "unmet_rules"]

MUST_MATCH_RULES = ("language_required", "cross_border_only", "min_score",
                    "needs_covered_required")
"""The must-match rules, in the order :func:`unmet_rules` names them."""

WEIGHT_RANGE = (0.0, 5.0)
"""Allowed multipliers of a factor's weight (inclusive)."""


def check_multipliers(multipliers: Mapping[str, float], factors: Sequence[str]) -> dict[str, float]:
    """Return the multipliers as floats, after checking them against a pairing's factors.

    Raises
    ------
    InvalidQueryError
        With ``code="unknown_factor"`` for a name not in ``factors``, or
        ``code="weight_out_of_range"`` for a value that is not a finite number within
        :data:`WEIGHT_RANGE` (``factor``, ``value``, ``min``, ``max`` attributes).
    """
    low, high = WEIGHT_RANGE
    checked = {}
    for name, value in multipliers.items():
        if name not in factors:
            raise InvalidQueryError(f"unknown factor {name!r}", code="unknown_factor",
                                    factor=name, allowed=list(factors))
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or not low <= value <= high):
            raise InvalidQueryError(
                f"weight of {name!r} must be a number within [{low}, {high}], not {value!r}",
                code="weight_out_of_range", factor=name, value=value, min=low, max=high)
        checked[name] = float(value)
    return checked


def scale_scorer(scorer: LinearScorer, multipliers: Mapping[str, float]) -> LinearScorer:
    """Return a copy of a fitted scorer with each factor's weight multiplied.

    Factors not named keep their weight; ``a*b`` interactions are multiplied by
    ``sqrt(m_a * m_b)``. The original is left unchanged.
    """
    scaled = copy.deepcopy(scorer)
    if not any(value != 1.0 for value in multipliers.values()):
        return scaled
    factors = set(scorer.factors)
    scale = []
    for term in scorer.terms:
        if term in factors:
            scale.append(multipliers.get(term, 1.0))
        else:
            a, b = term.split(INTERACTION_SEP)
            scale.append(math.sqrt(multipliers.get(a, 1.0) * multipliers.get(b, 1.0)))
    scaled.coef_ = np.asarray(scorer.coef_, np.float64) * np.array(scale, np.float64)
    return scaled


def scaled_scorers(scorers: Mapping[str, LinearScorer], pairing: Pairing,
                   multipliers: Mapping[str, float]) -> dict[str, LinearScorer]:
    """Return every scorer, those of ``pairing``'s directions scaled by ``multipliers``.

    Raises
    ------
    InvalidQueryError
        For an unknown factor or a multiplier out of :data:`WEIGHT_RANGE`.
    """
    checked = check_multipliers(multipliers, pairing.factors)
    return {direction: scale_scorer(scorer, checked) if direction in pairing.directions
            else scorer for direction, scorer in scorers.items()}


def score_without(score: float, contribution: float) -> float:
    """Return a pair's score without one of its terms: what scorers with that factor's
    multiplier at 0 give it.

    ``contribution`` is the term's entry of :attr:`~matcher.ranking.Match.contributions` (in
    logit units: ``w * s`` for one direction, ``logit(H) - logit(H without the term)`` for a
    reciprocal pairing), so taking it off the score's logit leaves exactly the score without
    the term.
    """
    if not contribution:
        return score
    p = min(max(float(score), 1e-12), 1 - 1e-12)
    return float(1.0 / (1.0 + math.exp(contribution - math.log(p / (1 - p)))))


def unmet_rules(query: ProfileRecord, candidate: ProfileRecord, factors: Mapping[str, float],
                score: float, *, language_required: bool = False,
                cross_border_only: bool = False, min_score: float = 0.0,
                needs_covered_required: bool = False) -> tuple[str, ...]:
    """Return the must-match rules that are on and that ``candidate`` fails for ``query``.

    ``factors`` and ``score`` are the pair's, as :func:`~matcher.ranking.explain_pairs` gives
    them (with the scorers the ranking would use). The tests are the ranking's filters: a
    shared language (``factors["language"] > 0``; not applied when the query lists no
    language), another country, a score of at least ``min_score``, and, for mentorship, the
    mentor's expertise covering a need (``factors["needs"] > 0``; not applied when the query
    lists no need, or no expertise when the query is the mentor).
    """
    unmet = []
    if language_required and query.languages and factors.get("language", 0.0) <= 0:
        unmet.append("language_required")
    if cross_border_only and query.country == candidate.country:
        unmet.append("cross_border_only")
    if score < min_score:
        unmet.append("min_score")
    query_codes = query.needs if query.kind == "sme" else query.expertise
    if (needs_covered_required and {query.kind, candidate.kind} == {"sme", "mentor"}
            and query_codes and factors.get("needs", 0.0) <= 0):
        unmet.append("needs_covered_required")
    return tuple(unmet)
