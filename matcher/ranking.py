"""Ranking: score every candidate of an index for one query, filter, take the top k, explain.

:func:`explain_pairs` scores and explains given pairs the same way, with no filter at all (a
full or paused mentor is still explained): what an introduction's snapshot or a cohort's pair
shows is what the ranking would show for that pair.

Scoring is vectorised over all candidates of each index segment; the only Python loops run
over segments (two), factors (eight) and the k winners.

In a segment of :data:`SHORTLIST_ROWS` or more scored in one direction, location (the dearest
factor per candidate) is computed last and only for a shortlist: with every other factor known,
a row's logit lies between its value with location's term at its least and at its most
(:meth:`~matcher.scorer.LinearScorer.term_range`); rows whose upper bound misses the k-th best
lower bound cannot be among the k best nor tied with the k-th, so the ranking is exactly that of
every row (:func:`_reachable`). A weighted interaction involving location, or a reciprocal
score, turns this off.

Hard filters: inactive, paused and full (``capacity_left == 0``) profiles are never in an
index; the query's own id never appears (profile ids are unique across kinds); with
``language_required`` (default: true for mentorship, SME→mentor and mentor→SME alike; false
for trade) a candidate must share a language with the query (not applied when the query lists
none); ``country`` keeps candidates of one country; ``cross_border="only"`` keeps candidates
of another country than the query's.
``cross_border="prefer"`` adds :data:`PREFER_BONUS` to the logit of every candidate of another
country (in each direction of a reciprocal pairing), reported in its ``cross_border``
contribution. Program rules add two more: ``min_score`` keeps candidates whose score (in
[0, 1], after any bonus) is at least that; ``needs_covered_required`` (mentorship only) keeps
candidates whose expertise covers at least one of the SME's needs (``needs`` factor > 0; not
applied when the query lists no needs or expertise, like the language filter).

``scorers`` (e.g. :func:`matcher.rules.scaled_scorers` of a coordinator's weights) replaces the
bundle's scorers for one call; scores, contributions and reasons all come from them.

Scores: ``σ(w·s + b)``; for the reciprocal SME↔buyer pairing, the harmonic mean of the buyer's
and the SME's ``σ``. A term's reported contribution is what it moved the score by, in logit
units: ``logit(score) - logit(score without the term)``. For one direction that is exactly
``w_i * s_i``; for a reciprocal match it follows the harmonic mean, so the side holding the
score down weighs most (not the mean of both sides). Reasons follow these contributions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .duplicates import DUPLICATE_MARGIN, distinct_positions
from .errors import InvalidQueryError
from .factors import (
    DEFERRABLE,
    Gathered,
    Pairing,
    compute_factors,
    factor_parts,
    full_rows,
    gather,
    location_factor,
    pairing_for,
    rows_of,
)
from .features import TEXT_FIELDS, ProfileArrays, blank_of, encode_profiles
from .index import CandidateIndex, Segment
from .reasons import Reason, explain
from .records import ProfileRecord
from .scorer import LinearScorer, harmonic_mean, sigmoid

if TYPE_CHECKING:
    from .bundle import ModelBundle
    from .exposure import ExposureReranker

__all__ = ["CROSS_BORDER_MODES", "PREFER_BONUS", "Match", "RankOptions", "explain_pairs",
           "rank", "rank_page", "top_k"]

CROSS_BORDER_MODES = ("any", "prefer", "only")
PREFER_BONUS = 1.0
_SAMPLE_STEP = 64
SHORTLIST_ROWS = 4096
"""Segments from which a one-direction ranking computes location on a shortlist only."""
_BOUND_MARGIN = np.float32(1e-3)
_COVERING = ("mentorship",)  # pairings whose ``needs`` factor is needs met by expertise
LANGUAGE_REQUIRED_BY_DEFAULT = ("mentorship",)
"""Pairings that require a shared language when ``language_required`` is None (both ways)."""


@dataclass(frozen=True)
class Match:
    """One ranked candidate: its id, score in [0, 1], factor values, contributions, reasons."""

    profile_id: int
    score: float
    factors: Mapping[str, float]
    contributions: Mapping[str, float]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class RankOptions:
    """Validated ranking parameters (see :func:`rank`)."""

    k: int = 10
    cross_border: str = "any"
    country: str | None = None
    language_required: bool | None = None
    min_score: float = 0.0
    needs_covered_required: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 1:
            raise InvalidQueryError(f"k must be a positive integer, not {self.k!r}")
        if self.cross_border not in CROSS_BORDER_MODES:
            raise InvalidQueryError(
                f"cross_border must be one of {CROSS_BORDER_MODES}, not {self.cross_border!r}")
        if self.language_required not in (None, True, False):
            raise InvalidQueryError(
                f"language_required must be true, false or null, not {self.language_required!r}")
        if self.country is not None and not (
                isinstance(self.country, str) and len(self.country) == 2
                and self.country.isalpha()):
            raise InvalidQueryError(f"country must be an ISO alpha-2 code, not {self.country!r}")
        if (isinstance(self.min_score, bool) or not isinstance(self.min_score, int | float)
                or not 0.0 <= self.min_score <= 1.0):
            raise InvalidQueryError(f"min_score must be within [0, 1], not {self.min_score!r}",
                                    code="invalid_option", option="min_score",
                                    value=self.min_score)
        if self.needs_covered_required not in (True, False):
            raise InvalidQueryError("needs_covered_required must be true or false, not "
                                    f"{self.needs_covered_required!r}")


def rank(index: CandidateIndex, query: ProfileRecord, k: int = 10, **options: Any) -> list[Match]:
    """Return the ``k`` best candidates of ``index`` for ``query``, best first.

    The options are :func:`rank_page`'s.
    """
    return rank_page(index, query, k, lookahead=0, **options)[0]


def rank_page(index: CandidateIndex, query: ProfileRecord, k: int = 10, *,
              cross_border: str = "any", country: str | None = None,
              language_required: bool | None = None, rerank: ExposureReranker | None = None,
              min_score: float = 0.0, needs_covered_required: bool = False,
              scorers: Mapping[str, LinearScorer] | None = None, distinct: bool = True,
              offset: int = 0, exclude: Collection[int] = (),
              only: Collection[int] | None = None,
              lookahead: int = 1) -> tuple[list[Match], bool]:
    """Return the ``k`` best candidates of ``index`` for ``query``, best first, and whether
    any candidate follows them (a next page): ``lookahead`` more are ranked for that (as
    ``rank`` with ``k + lookahead`` would), not explained; with 0, :func:`rank`, the answer
    is always False.

    ``offset`` skips that many of the best (a later page: the ranking runs to ``offset + k``,
    only the page is explained); ``exclude`` drops these candidate ids (e.g. ones the query's
    owner hid); ``only``, when given, keeps just these ids (e.g. the hits of a search).

    The pairing follows the kinds: SME→mentor and mentor→SME (mentorship), SME→buyer and
    buyer→SME (reciprocal trade). With ``distinct`` (the default) near-duplicate candidates
    (:mod:`matcher.duplicates`) are collapsed into the best-scored of them. With ``rerank``
    (:class:`matcher.exposure.ExposureReranker`) the best ``rerank.pool_size(k)`` distinct
    candidates by score are re-ordered by exposure before the top k is cut; each match keeps
    its own score and reasons.

    Raises
    ------
    InvalidQueryError
        For a bad ``k``, ``cross_border``, ``country`` or ``min_score``, or
        ``needs_covered_required`` outside mentorship.
    UnsupportedPairingError
        If ``query``'s kind cannot be matched with the index's kind.
    """
    options = RankOptions(k, cross_border, country, language_required, min_score,
                          needs_covered_required)
    for name, value in (("offset", offset), ("lookahead", lookahead)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidQueryError(f"{name} must be an integer >= 0, not {value!r}")
    depth = replace(options, k=offset + options.k + lookahead)
    subset = _Subset(_ids_array(exclude), None if only is None else _ids_array(only))
    pairing = pairing_for(query.kind, index.kind)
    if options.needs_covered_required and pairing.name not in _COVERING:
        raise InvalidQueryError("needs_covered_required applies to mentorship only",
                                code="invalid_option", option="needs_covered_required",
                                value=True)
    scorers = index.bundle.scorers if scorers is None else scorers
    q = index.encode_query(query)
    wanted = depth.k if rerank is None else rerank.pool_size(depth.k)
    hits = _best_hits(index, pairing, q, depth, scorers, wanted, distinct, subset)
    if rerank is not None:
        order = rerank.order(np.array([hit.score for hit in hits]),
                             np.array([hit.profile_id for hit in hits]), depth.k)
        hits = [hits[i] for i in order]
    end = offset + options.k
    return _matches(index.bundle, scorers, pairing, q, hits[offset:end], query), len(hits) > end


@dataclass(frozen=True)
class _Subset:
    """Candidate ids left out (``exclude``) and, when not None, the only ones kept."""

    exclude: np.ndarray
    only: np.ndarray | None

    def mask(self, segment: Segment) -> np.ndarray | None:
        """Return which rows of the segment the subset keeps, or None for all of them."""
        if not self.exclude.size and self.only is None:
            return None
        keep = np.ones(len(segment), bool)
        if self.only is not None:
            keep[:] = False
            keep[segment.rows_of(self.only)] = True
        keep[segment.rows_of(self.exclude)] = False
        return keep


def _ids_array(ids: Collection[int]) -> np.ndarray:
    return np.unique(np.fromiter((int(i) for i in ids), np.int64))


def _best_hits(index: CandidateIndex, pairing: Pairing, q: ProfileArrays, options: RankOptions,
               scorers: Mapping[str, LinearScorer], wanted: int, distinct: bool,
               subset: _Subset) -> list[_Hit]:
    """Return the ``wanted`` best hits by score, near-duplicates collapsed when ``distinct``.

    A pool of :data:`~matcher.duplicates.DUPLICATE_MARGIN` more is ranked, and doubled while
    collapsing leaves fewer than ``wanted`` and more candidates may pass the filters.
    """
    size = wanted + (DUPLICATE_MARGIN if distinct else 0)
    while True:
        pool = replace(options, k=size)
        hits = [hit for segment in index.segments
                for hit in _rank_segment(index, pairing, q, segment, pool, scorers, subset)]
        hits.sort(key=lambda hit: (-hit.score, hit.profile_id))
        ranked = len(hits[:size])
        if distinct:
            hits = _distinct(hits[:size], pairing.name)
        if len(hits) >= wanted or ranked < size:
            return hits[:wanted]
        size *= 2


def _distinct(hits: list[_Hit], role: str) -> list[_Hit]:
    """Return ``hits`` (best first) without the near-duplicates of better ones."""
    claims = np.array([hit.segment.arrays.claims[hit.row] for hit in hits], np.uint64)

    def texts(positions: np.ndarray) -> sp.csr_matrix:
        # Rows of a CSC matrix cost a pass over it: only for candidates sharing their claims.
        return sp.vstack([hits[i].segment.arrays.texts[role][[hits[i].row]] for i in positions],
                         format="csr")

    def blank(positions: np.ndarray) -> np.ndarray:
        return np.array([blank_of(hits[i].segment.arrays, role, np.array([hits[i].row]))[0]
                         for i in positions], bool)
    return [hits[i] for i in distinct_positions(claims, texts, blank=blank)]


def explain_pairs(bundle: ModelBundle, queries: Sequence[ProfileRecord],
                  candidates: Sequence[ProfileRecord], *,
                  scorers: Mapping[str, LinearScorer] | None = None) -> list[Match]:
    """Score and explain the pairs ``(queries[i], candidates[i])``, with no filter.

    Each :class:`Match` (for ``candidates[i]``, in the order given) is the one :func:`rank`
    returns for that pair with its default options; unlike ranking, an inactive, paused or
    full candidate, or one sharing no language, is scored and explained too. Pairs of one
    query and one candidate kind are scored in one vectorised call. ``scorers`` replaces the
    bundle's, as in :func:`rank`.

    Raises
    ------
    InvalidQueryError
        If ``queries`` and ``candidates`` differ in length.
    UnsupportedPairingError
        If a query's kind cannot be matched with its candidate's kind.
    """
    if len(queries) != len(candidates):
        raise InvalidQueryError(f"{len(queries)} queries for {len(candidates)} candidates")
    groups: dict[tuple[ProfileRecord, str], list[int]] = {}
    for i, (query, candidate) in enumerate(zip(queries, candidates, strict=True)):
        groups.setdefault((query, candidate.kind), []).append(i)
    explained: dict[int, Match] = {}
    scorers = bundle.scorers if scorers is None else scorers
    for (query, kind), positions in groups.items():
        matches = _explain_group(bundle, scorers, query, [candidates[i] for i in positions],
                                 kind)
        explained.update(zip(positions, matches, strict=True))
    return [explained[i] for i in range(len(queries))]


def _explain_group(bundle: ModelBundle, scorers: Mapping[str, LinearScorer],
                   query: ProfileRecord, candidates: list[ProfileRecord],
                   kind: str) -> list[Match]:
    pairing = pairing_for(query.kind, kind)
    q = encode_profiles(bundle.encoders, [query], query.kind, roles=(pairing.name,))
    segment = Segment.of(encode_profiles(bundle.encoders, candidates, kind, fmt="csc"))
    factors = compute_factors(pairing, q, segment.arrays, bundle.encoders)
    scores = _scores(scorers, pairing, factors, None)
    everyone = np.arange(len(segment))
    hits = _hits(pairing, segment, everyone, everyone, scores, factors, None)
    return _matches(bundle, scorers, pairing, q, hits, query)


def top_k(scores: np.ndarray, k: int, ids: np.ndarray) -> np.ndarray:
    """Return the rows of the ``k`` highest finite scores, best first, ties to the lower id."""
    rows = _shortlist(scores, k)
    rows = rows[np.isfinite(scores[rows])]
    if rows.size > k:
        part = np.argpartition(scores[rows], rows.size - k)[rows.size - k:]
        # Every row tied with the k-th score competes, so ties resolve by id, not by memory.
        rows = rows[scores[rows] >= scores[rows[part]].min()]
    return rows[np.lexsort((ids[rows], -scores[rows]))][:k]


def _shortlist(scores: np.ndarray, k: int) -> np.ndarray:
    """Return rows that surely include the top k: those at least the k-th best of a sample.

    At least k rows (the sample's best) reach that threshold, so the k-th best score does
    too; the shortlist is about ``k * _SAMPLE_STEP`` rows instead of all of them.
    """
    sample = scores[::_SAMPLE_STEP]
    if sample.size <= k:
        return np.arange(scores.size)
    threshold = np.partition(sample, sample.size - k)[sample.size - k]
    if not np.isfinite(threshold):
        return np.flatnonzero(np.isfinite(scores))
    return np.flatnonzero(scores >= threshold)


@dataclass(frozen=True)
class _Hit:
    """A segment's top-k row with the factor values and bonus it was scored with."""

    score: float
    profile_id: int
    segment: Segment
    row: int
    factors: dict[str, float]
    bonus: float


def _rank_segment(index: CandidateIndex, pairing: Pairing, q: ProfileArrays, segment: Segment,
                  options: RankOptions, scorers: Mapping[str, LinearScorer],
                  subset: _Subset) -> list[_Hit]:
    c, encoders = segment.arrays, index.bundle.encoders
    span = _deferred_span(pairing, scorers, segment)
    parts = factor_parts(pairing, q, c, encoders, defer=DEFERRABLE if span else ())
    bonus = _prefer_bonus(q, c, options)
    passing = _passing(pairing, q, parts, options)
    shown = _shown_rows(index, q, segment, options, subset)
    rows = None  # every row; else the shortlist the arrays below are restricted to
    if span:
        rows = _reachable(scorers[pairing.directions[0]], parts, bonus, passing, shown,
                          len(c), options.k, span)
        known = {name: rows_of(part, rows, len(c)) for name, part in parts.items()}
        known["location"] = location_factor(pairing, q, c, encoders, rows)
        factors = {name: known[name] for name in pairing.factors}
        # Every shortlisted row passed the filters: they are in its bound (-inf otherwise).
        bonus, keep = (None if bonus is None else bonus[rows]), np.ones(rows.size, bool)
    else:
        factors = {name: full_rows(part, len(c)) for name, part in parts.items()}
        keep = _keep(shown, passing, len(c))
    scores = _scores(scorers, pairing, factors, bonus)
    if options.min_score > 0.0:
        keep &= _at_least(scores, pairing, options.min_score)
    _drop(scores, keep)
    best = top_k(scores, options.k, c.ids if rows is None else c.ids[rows])
    return _hits(pairing, segment, best if rows is None else rows[best], best, scores, factors,
                 bonus)


def _deferred_span(pairing: Pairing, scorers: Mapping[str, LinearScorer],
                   segment: Segment) -> tuple[float, float] | None:
    """Return what the location term may add to a logit (least, most) when the segment's
    ranking computes location on a shortlist only, else None.

    Only for large segments and one scoring direction (a reciprocal score is not a sum), and
    only while no weighted interaction involves location (its range would depend on another
    factor).
    """
    if pairing.reciprocal or len(segment) < SHORTLIST_ROWS:
        return None
    return scorers[pairing.directions[0]].term_range("location")


def _reachable(scorer: LinearScorer, parts: Mapping[str, np.ndarray | Gathered],
               bonus: np.ndarray | None, passing: Sequence[np.ndarray | Gathered],
               shown: np.ndarray | None, n: int, k: int,
               span: tuple[float, float]) -> np.ndarray:
    """Return the rows (of ``n``) that pass the filters and can be among the ``k`` best once
    location is known (``passing``: factors a row must have above 0; ``shown``: the rows' own
    filters, None when every row passes them; see :func:`_passing` and :func:`_shown_rows`).

    With location at its least, a row's logit is a lower bound; at its most, an upper one. A
    row whose upper bound is below the k-th best lower bound cannot be among the k best (nor
    tied with the k-th), so the shortlist ranks exactly as all rows would. The bounds are
    float32 sums of about ten terms, in another order than the scores' own:
    :data:`_BOUND_MARGIN` keeps rounding on the safe side. A row failing a filter has a bound
    of -inf: a filter on a factor gathered per pattern is a -inf in that pattern's sum, no
    pass of its own over the rows.
    """
    least, most = span
    low = _logits_without(scorer, parts, "location", n, vetoes=passing)
    low += np.float32(least)
    if bonus is not None:
        low += bonus
    if shown is not None:
        _drop(low, shown)
    kth = _kth_largest(low, k)
    if not np.isfinite(kth):  # k or fewer pass: all of them
        return np.flatnonzero(np.isfinite(low))
    return np.flatnonzero(low >= kth - np.float32(most - least) - _BOUND_MARGIN)


def _logits_without(scorer: LinearScorer, parts: Mapping[str, np.ndarray | Gathered],
                    absent: str, n: int,
                    vetoes: Sequence[np.ndarray | Gathered] = ()) -> np.ndarray:
    """Return the float32 logits of ``n`` rows with the factor ``absent`` taken as 0, and
    -inf where a factor of ``vetoes`` is not above 0.

    When the logit is a weighted sum (no interaction weighs anything), the weighted factors
    of one pattern array (:class:`~matcher.factors.Gathered`: a segment's sector sets,
    language sets, claims, countries with markets) are summed per pattern first and gathered
    once: four gathers and adds over the rows instead of a gather, a product and a sum per
    factor; a veto of such a factor is one more term of its pattern's sum. Else every factor
    is gathered and :meth:`LinearScorer.combine` sums them.
    """
    weights = scorer.linear_weights()
    if weights is None:
        z = scorer.combine({name: full_rows(part, n) for name, part in parts.items()},
                           absent=(absent,))
        for veto in vetoes:
            z += _penalty(full_rows(veto, n) > 0)
        return z
    z = np.full(n, scorer.intercept_, dtype=np.float32)
    per_pattern: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def pattern_sum(part: Gathered) -> np.ndarray:
        """The running sum of the terms of the part's pattern array."""
        return per_pattern.setdefault(
            id(part.pattern), (part.pattern, np.zeros(part.values.shape, np.float32)))[1]

    for name, weight in weights.items():
        if weight == 0.0 or name == absent:
            continue
        part = parts[name]
        if not isinstance(part, Gathered):
            z += np.multiply(part, np.float32(weight), dtype=np.float32)
            continue
        summed = pattern_sum(part)
        summed += np.multiply(part.values, np.float32(weight), dtype=np.float32)
    for veto in vetoes:
        if isinstance(veto, Gathered):
            summed = pattern_sum(veto)
            summed += _penalty(veto.values > 0)
        else:
            z += _penalty(np.broadcast_to(veto, (n,)) > 0)
    for pattern, summed in per_pattern.values():
        z += gather(summed, pattern)
    return z


def _penalty(keep: np.ndarray) -> np.ndarray:
    """Return 0 where ``keep`` is True, else -inf (float32): ``1 - 1/keep``."""
    with np.errstate(divide="ignore"):
        return np.float32(1.0) - np.float32(1.0) / keep.astype(np.float32)


def _drop(values: np.ndarray, keep: np.ndarray) -> None:
    """Set ``values`` (float32) to -inf where ``keep`` is False, in place.

    As an added :func:`_penalty`: a masked write (``copyto`` with ``where``) branches per
    element and cost ten times as much over a large segment.
    """
    values += _penalty(keep)


def _kth_largest(values: np.ndarray, k: int) -> float:
    """Return the ``k``-th largest finite value, or -inf when there are fewer than ``k``."""
    shortlist = values[_shortlist(values, k)]
    shortlist = shortlist[np.isfinite(shortlist)]
    if shortlist.size < k:
        return -np.inf
    return float(np.partition(shortlist, shortlist.size - k)[shortlist.size - k])


def _hits(pairing: Pairing, segment: Segment, rows: np.ndarray, positions: np.ndarray,
          scores: np.ndarray, factors: Mapping[str, np.ndarray],
          bonus: np.ndarray | None) -> list[_Hit]:
    """Return the hits of the segment's ``rows``, whose ordering values, factors and bonus sit
    at ``positions`` of the arrays given; ordering values are turned into scores in [0, 1]."""
    best = scores[positions].astype(np.float64)
    if not pairing.reciprocal:
        best = sigmoid(best)
    bonuses = [0.0] * rows.size if bonus is None else bonus[positions].tolist()
    # Read out per array, then zipped: one element at a time, NumPy scalars cost more.
    names = list(factors)
    columns = [factors[name][positions].tolist() for name in names]
    values = zip(*columns, strict=True) if columns else [()] * rows.size
    return [_Hit(score, id_, segment, row, dict(zip(names, at, strict=True)), extra)
            for row, id_, score, extra, at in zip(rows.tolist(),
                                                 segment.arrays.ids[rows].tolist(),
                                                 best.tolist(), bonuses, values, strict=True)]


def _scores(scorers: Mapping[str, LinearScorer], pairing: Pairing,
            factors: Mapping[str, np.ndarray], bonus: np.ndarray | None) -> np.ndarray:
    """Return values that order candidates as their scores do.

    One direction: the logits (σ is monotonic, so it is applied to the top k only).
    Reciprocal: the harmonic mean of both directions' probabilities.
    """
    logits = [scorers[d].combine(factors) for d in pairing.directions]
    if bonus is not None:
        logits = [z + bonus for z in logits]
    if pairing.reciprocal:
        return harmonic_mean(sigmoid(logits[0]), sigmoid(logits[1])).astype(np.float32)
    return logits[0]


def _at_least(values: np.ndarray, pairing: Pairing, min_score: float) -> np.ndarray:
    """Tell which ordering values (logits, or reciprocal scores) reach ``min_score``."""
    # The same float64 σ as the reported scores, so a shown score never contradicts the rule.
    scores = values if pairing.reciprocal else sigmoid(values.astype(np.float64))
    return scores >= min_score


def _prefer_bonus(q: ProfileArrays, c: ProfileArrays, options: RankOptions) -> Any:
    if options.cross_border != "prefer":
        return None
    return np.where(c.country != q.country[0], np.float32(PREFER_BONUS), np.float32(0.0))


def _positive(part: np.ndarray | Gathered) -> np.ndarray:
    """Tell which rows have a factor above 0."""
    return part.positive() if isinstance(part, Gathered) else part > 0


def _passing(pairing: Pairing, q: ProfileArrays,
             factors: Mapping[str, np.ndarray | Gathered],
             options: RankOptions) -> list[np.ndarray | Gathered]:
    """Return the factors (of :func:`factor_parts`) a candidate must have above 0 to be
    ranked: language when shared languages are required (by default, for mentorship either
    way: SME→mentor and mentor→SME), needs when covering them is."""
    required = options.language_required
    if required is None:
        required = pairing.name in LANGUAGE_REQUIRED_BY_DEFAULT
    passing = []
    if required and q.languages.nnz:
        passing.append(factors["language"])
    if options.needs_covered_required and q.codes is not None and q.codes[0]:
        passing.append(factors["needs"])
    return passing


def _shown_rows(index: CandidateIndex, q: ProfileArrays, segment: Segment,
                options: RankOptions, subset: _Subset) -> np.ndarray | None:
    """Return which rows pass the filters on the rows themselves (live, not the query's
    own, country, cross-border, the subset), or None when every row does."""
    c = segment.arrays
    own = segment.rows_of(q.ids)
    keep = subset.mask(segment)
    if (keep is None and not own.size and options.country is None
            and options.cross_border != "only" and segment.n_alive == len(segment)):
        return None
    keep = segment.alive.copy() if keep is None else keep & segment.alive
    keep[own] = False
    if options.country is not None:
        code = index.bundle.encoders["countries"].index_.get(options.country.upper())
        keep &= (c.country == code) if code is not None else False
    if options.cross_border == "only":
        keep &= c.country != q.country[0]
    return keep


def _keep(shown: np.ndarray | None, passing: Sequence[np.ndarray | Gathered],
          n: int) -> np.ndarray:
    """Return which of ``n`` rows pass the hard filters (:func:`_shown_rows`' and
    :func:`_passing`'s)."""
    keep = np.ones(n, bool) if shown is None else shown
    for part in passing:
        keep &= _positive(part)
    return keep


def _logit_of_score(logits: Sequence[float]) -> float:
    """Return the logit of the score of a pair whose directions have ``logits``."""
    p = [min(max(float(sigmoid(z)), 1e-12), 1 - 1e-12) for z in logits]
    score = p[0] if len(p) == 1 else 2 * p[0] * p[1] / (p[0] + p[1])
    score = min(max(score, 1e-12), 1 - 1e-12)
    return float(np.log(score / (1 - score)))


def _contributions(scorers: list[Any], hit: _Hit) -> dict[str, float]:
    """Return what each term moved the pair's score by, in logit units.

    Terms are the factors and the scorers' interactions (``"a*b"``), each its own entry;
    ``cross_border`` carries the prefer bonus. One direction: ``w_i * s_i`` (plus the bonus).
    Reciprocal: ``logit(H) - logit(H without the term)``, ``H`` the harmonic mean.
    """
    per = [scorer.contributions(hit.factors) for scorer in scorers]
    if len(per) == 1:
        contributions = dict(per[0])
        contributions["cross_border"] += hit.bonus
        return contributions
    logits = [scorer.intercept_ + sum(c.values()) + hit.bonus
              for scorer, c in zip(scorers, per, strict=True)]
    full = _logit_of_score(logits)
    names = dict.fromkeys(name for c in per for name in c)
    return {name: full - _logit_of_score(
                [z - c.get(name, 0.0) - (hit.bonus if name == "cross_border" else 0.0)
                 for z, c in zip(logits, per, strict=True)])
            for name in names}


def _matches(bundle: ModelBundle, scorers: Mapping[str, LinearScorer], pairing: Pairing,
             q: ProfileArrays, hits: list[_Hit], query: ProfileRecord) -> list[Match]:
    used = [scorers[d] for d in pairing.directions]
    contributions = [_contributions(used, hit) for hit in hits]
    text = " ".join(getattr(query, name) for name in TEXT_FIELDS[query.kind][pairing.name])
    surfaces = bundle.encoders["text"].analyzer_.surfaces(text)
    reasons: dict[int, tuple[Reason, ...]] = {}
    for segment in {id(hit.segment): hit.segment for hit in hits}.values():
        mine = [i for i, hit in enumerate(hits) if hit.segment is segment]
        explained = explain(pairing, q, segment.arrays, [hits[i].row for i in mine],
                            [contributions[i] for i in mine], bundle.encoders,
                            surfaces=surfaces)
        reasons.update(zip(mine, explained, strict=True))
    return [Match(hit.profile_id, hit.score, hit.factors, contributions[i], reasons[i])
            for i, hit in enumerate(hits)]
