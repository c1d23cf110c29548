"""Cohort allocation: the best whole assignment of a cohort's SMEs to mentors, proven optimal.

Typical use (ids at the edge, integer rows inside)::

    cohort = score_cohort(bundle, sme_records, mentor_records, min_score=0.2)
    result = allocate_cohort(cohort, objective="coverage", pinned=[(12, 40)],
                             excluded=[(13, 41)])
    result.pairs, result.unassigned, result.certified, result.greedy
    diff(previous_result, result).added

Scores are exactly those :func:`~matcher.ranking.rank` gives the SME→mentor pair (the same
factor kernels and scorer, one vectorised call per mentor). Hard filters: mentors inactive,
paused or without capacity left; no shared language when ``language_required`` (an SME listing
no language is not filtered, as in ranking); scores below ``min_score``; inactive SMEs; and,
as program rules ask, mentors of the SME's own country (``cross_border_only``) or whose
expertise covers none of the SME's needs (``needs_covered_required``; an SME listing no need
is not filtered). ``scorers`` replaces the bundle's (a coordinator's weights, see
:mod:`matcher.rules`).

Objectives (integer units of :data:`SCORE_UNIT`, so ties and the proof are exact):

* ``total_score`` — maximise the sum of the chosen pairs' scores;
* ``coverage`` — first maximise the number of SMEs with at least one mentor (pins count), then
  the sum of scores. For ``mentors_per_sme == 1`` that is the number of pairs. It is solved as
  one problem whose first mentor of each SME earns a bonus larger than any sum of scores.

The solver and its certificate are in :mod:`matcher.cohort_solver` and
:mod:`matcher.cohort_certificate`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .cohort_certificate import Network
from .cohort_solver import greedy_assign, solve_exact
from .errors import MatcherError
from .factors import MENTORSHIP, compute_factors
from .features import encode_profiles
from .records import ProfileRecord
from .scorer import LinearScorer, sigmoid

if TYPE_CHECKING:
    from .bundle import ModelBundle

__all__ = ["OBJECTIVES", "REASONS", "SCORE_UNIT", "CohortDiff", "CohortError", "CohortPair",
           "CohortResult", "CohortScores", "GreedySummary", "InfeasiblePinError",
           "Unassigned", "allocate_cohort", "diff", "score_cohort"]

OBJECTIVES = ("total_score", "coverage")
REASONS = ("no_eligible_mentor", "capacity_exhausted", "excluded", "inactive")
SCORE_UNIT = 1e-6
"""Scores are optimised as integers of this unit (rounded half to even)."""

Pair = tuple[int, int]


class CohortError(MatcherError, ValueError):
    """A cohort allocation request is invalid (unknown ids, bad options)."""


class InfeasiblePinError(CohortError):
    """Pinned pairs cannot all be kept (ineligible, excluded, or beyond a capacity)."""


@dataclass(frozen=True, eq=False)
class CohortScores:
    """The SME × mentor score matrix of a cohort, its eligibility mask and mentor capacities.

    Rows follow ``sme_ids``, columns ``mentor_ids``. ``capacity`` is each mentor's capacity
    left (``len(sme_ids)`` when unknown or unlimited; 0 when the mentor is ineligible).
    """

    sme_ids: np.ndarray
    mentor_ids: np.ndarray
    scores: np.ndarray
    eligible: np.ndarray
    capacity: np.ndarray
    sme_active: np.ndarray
    seconds: float = 0.0

    def row(self, sme_id: int) -> int:
        """Return the row of an SME id."""
        return _position(self.sme_ids, sme_id, "SME")

    def column(self, mentor_id: int) -> int:
        """Return the column of a mentor id."""
        return _position(self.mentor_ids, mentor_id, "mentor")

    def score(self, sme_id: int, mentor_id: int) -> float:
        """Return the score of one pair (whether eligible or not)."""
        return float(self.scores[self.row(sme_id), self.column(mentor_id)])


def score_cohort(bundle: ModelBundle, smes: Sequence[ProfileRecord],
                 mentors: Sequence[ProfileRecord], *, language_required: bool = True,
                 min_score: float = 0.0,
                 capacities: Mapping[int, int] | None = None,
                 cross_border_only: bool = False, needs_covered_required: bool = False,
                 scorers: Mapping[str, LinearScorer] | None = None) -> CohortScores:
    """Score every SME against every mentor and apply the hard filters.

    ``capacities`` overrides mentors' ``capacity_left`` by id.

    Raises
    ------
    CohortError
        For duplicate ids, records of the wrong kind or a ``min_score`` outside [0, 1].
    """
    started = time.perf_counter()
    _check_records(smes, "sme")
    _check_records(mentors, "mentor")
    if not 0.0 <= min_score <= 1.0:
        raise CohortError(f"min_score must be within [0, 1], not {min_score!r}",
                          code="invalid_option", option="min_score", value=min_score)
    n, m = len(smes), len(mentors)
    # Filled a mentor (a contiguous row) at a time, then transposed once.
    scores = np.zeros((m, n), np.float32)
    shares = np.zeros((m, n), bool)
    ruled_out = np.zeros((m, n), bool)  # by the program's cross-border and needs rules
    if n and m:
        s = encode_profiles(bundle.encoders, list(smes), "sme", fmt="csr").to_format("csc")
        q = encode_profiles(bundle.encoders, list(mentors), "mentor", fmt="csr")
        scorer = (bundle.scorers if scorers is None else scorers)[MENTORSHIP.directions[0]]
        for j in range(m):  # one vectorised call per mentor: the factors of all SMEs at once
            factors = compute_factors(MENTORSHIP, q.take(slice(j, j + 1)), s, bundle.encoders)
            scores[j] = sigmoid(scorer.combine(factors))
            shares[j] = factors["language"] > 0
            if cross_border_only:
                ruled_out[j] |= s.country == q.country[j]
            if needs_covered_required:
                ruled_out[j] |= (factors["needs"] <= 0) & (s.codes != 0)
    scores, shares = np.ascontiguousarray(scores.T), np.ascontiguousarray(shares.T)
    sme_active = np.array([r.active for r in smes], bool)
    capacity = _capacities(mentors, n, capacities)
    eligible = ((scores >= np.float32(min_score)) & sme_active[:, None]
                & (capacity > 0)[None, :] & ~ruled_out.T)
    if language_required:
        silent = np.array([not r.languages for r in smes], bool)
        eligible &= shares | silent[:, None]
    return CohortScores(np.array([r.id for r in smes], np.int64),
                        np.array([r.id for r in mentors], np.int64), scores, eligible,
                        capacity, sme_active, time.perf_counter() - started)


@dataclass(frozen=True)
class CohortPair:
    """One SME–mentor pair of an allocation."""

    sme_id: int
    mentor_id: int
    score: float
    pinned: bool = False


@dataclass(frozen=True)
class Unassigned:
    """An SME left with fewer mentors than asked, why, and how many it lacks."""

    sme_id: int
    reason: str
    missing: int = 1


@dataclass(frozen=True)
class GreedySummary:
    """The greedy baseline (best score first) on the same cohort and options."""

    total_score: float
    smes_covered: int
    n_pairs: int
    seconds: float
    gap_percent: float
    """How far greedy lands below the optimum, in percent, on what the objective ranks first:
    the total score, or under ``coverage`` the SMEs covered (the total score when equal)."""


@dataclass(frozen=True)
class CohortResult:
    """An optimal allocation, its objective, its proof and the greedy comparison.

    ``total_score`` and ``smes_covered`` are both parts of the coverage objective (covered
    first); ``total_score`` alone is the ``total_score`` objective. ``certified`` is true when
    the LP-duality bound over every eligible pair equals the allocation's value (``bound`` and
    ``value`` in integer :data:`SCORE_UNIT` units, plus the coverage bonus).
    """

    pairs: tuple[CohortPair, ...]
    unassigned: tuple[Unassigned, ...]
    objective: str
    mentors_per_sme: int
    total_score: float
    smes_covered: int
    greedy: GreedySummary
    certified: bool
    value: int
    bound: int
    solve_seconds: float
    rounds: int
    candidates: int
    options: Mapping[str, object] = field(default_factory=dict)

    @property
    def n_pairs(self) -> int:
        """Return the number of pairs (pins included)."""
        return len(self.pairs)


def allocate_cohort(cohort: CohortScores, *, mentors_per_sme: int = 1,
                    objective: str = "total_score", pinned: Iterable[Pair] = (),
                    excluded: Iterable[Pair] = ()) -> CohortResult:
    """Return the optimal allocation of ``cohort`` with the greedy one for comparison.

    Raises
    ------
    CohortError
        For a bad objective or ``mentors_per_sme``, or unknown ids in the pairs.
    InfeasiblePinError
        If a pinned pair is ineligible or excluded, or pins exceed an SME's
        ``mentors_per_sme`` or a mentor's capacity.
    """
    if objective not in OBJECTIVES:
        raise CohortError(f"objective must be one of {OBJECTIVES}, not {objective!r}",
                          code="invalid_option", option="objective", value=objective)
    if isinstance(mentors_per_sme, bool) or not isinstance(mentors_per_sme, int) \
            or mentors_per_sme < 1:
        raise CohortError(f"mentors_per_sme must be a positive integer, not {mentors_per_sme!r}",
                          code="invalid_option", option="mentors_per_sme", value=mentors_per_sme)
    pins = _pair_matrix(cohort, pinned, "pinned")
    banned = _pair_matrix(cohort, excluded, "excluded")
    _check_pins(cohort, pins, banned, mentors_per_sme)
    net = _network(cohort, pins, banned, mentors_per_sme, objective)
    started = time.perf_counter()
    greedy = greedy_assign(net)
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    exact = solve_exact(net)
    solve_seconds = time.perf_counter() - started
    chosen = exact.assigned | pins
    total, covered = _totals(cohort, chosen)
    greedy_total, greedy_covered = _totals(cohort, greedy | pins)
    gap = _gap_percent(objective, (covered, total), (greedy_covered, greedy_total))
    return CohortResult(
        pairs=_pairs(cohort, chosen, pins),
        unassigned=_unassigned(cohort, chosen, pins, banned, mentors_per_sme),
        objective=objective, mentors_per_sme=mentors_per_sme, total_score=total,
        smes_covered=covered,
        greedy=GreedySummary(greedy_total, greedy_covered, int((greedy | pins).sum()),
                             greedy_seconds, gap),
        certified=exact.certified, value=exact.profit, bound=exact.bound,
        solve_seconds=solve_seconds, rounds=exact.rounds, candidates=exact.candidates,
        options={"pinned": int(pins.sum()), "excluded": int(banned.sum())})


def _gap_percent(objective: str, optimum: tuple[int, float], greedy: tuple[int, float]) -> float:
    """Return how far greedy lands below the optimum, in percent, on what the objective ranks
    first: SMEs covered under ``coverage`` (the total score when both cover as many), else
    the total score. Greedy may score more by covering fewer: that is not a gain."""
    (covered, total), (greedy_covered, greedy_total) = optimum, greedy
    if objective == "coverage" and covered != greedy_covered:
        return 100.0 * (covered - greedy_covered) / covered
    return 100.0 * (total - greedy_total) / total if total > 0 else 0.0


@dataclass(frozen=True)
class CohortDiff:
    """How a re-run's pairs differ from a previous proposal's."""

    added: tuple[CohortPair, ...]
    removed: tuple[CohortPair, ...]
    kept: tuple[CohortPair, ...]


def diff(previous: CohortResult | Iterable[CohortPair],
         current: CohortResult | Iterable[CohortPair]) -> CohortDiff:
    """Return the pairs ``current`` adds to, removes from and keeps of ``previous``.

    Either side is a :class:`CohortResult` or just its pairs (e.g. as a proposal stored them).
    """
    before = {(p.sme_id, p.mentor_id): p for p in _pairs_of(previous)}
    after = {(p.sme_id, p.mentor_id): p for p in _pairs_of(current)}
    return CohortDiff(tuple(p for key, p in after.items() if key not in before),
                      tuple(p for key, p in before.items() if key not in after),
                      tuple(p for key, p in after.items() if key in before))


def _pairs_of(allocation: CohortResult | Iterable[CohortPair]) -> Iterable[CohortPair]:
    return allocation.pairs if isinstance(allocation, CohortResult) else allocation


def _network(cohort: CohortScores, pins: np.ndarray, banned: np.ndarray, per_sme: int,
             objective: str) -> Network:
    weight = np.rint(cohort.scores.astype(np.float64) / SCORE_UNIT).astype(np.int64)
    demand = np.where(cohort.sme_active, per_sme - pins.sum(axis=1), 0).astype(np.int64)
    capacity = (cohort.capacity - pins.sum(axis=0)).astype(np.int64)
    allowed = cohort.eligible & ~banned & ~pins
    allowed &= (demand > 0)[:, None] & (capacity > 0)[None, :]
    bonus = np.zeros(len(demand), np.int64)
    if objective == "coverage":
        best = np.where(allowed, weight, 0).max(axis=1, initial=0)
        bonus[(demand > 0) & ~pins.any(axis=1)] = int((demand * best).sum()) + 1
    return Network(weight, allowed, demand, capacity, bonus, np.zeros_like(allowed))


def _check_pins(cohort: CohortScores, pins: np.ndarray, banned: np.ndarray,
                per_sme: int) -> None:
    def ids(i: int, j: int) -> dict[str, int]:
        return {"sme_id": int(cohort.sme_ids[i]), "mentor_id": int(cohort.mentor_ids[j])}

    for i, j in zip(*np.nonzero(pins & banned), strict=True):
        raise InfeasiblePinError(f"pinned pair {tuple(ids(i, j).values())} is also excluded",
                                 code="pin_excluded", **ids(i, j))
    for i, j in zip(*np.nonzero(pins & ~cohort.eligible), strict=True):
        raise InfeasiblePinError(f"pinned pair {tuple(ids(i, j).values())} is not eligible "
                                 "(inactive or full mentor, no shared language, or below "
                                 "min_score)", code="pin_not_eligible", **ids(i, j))
    for i in np.flatnonzero(pins.sum(axis=1) > per_sme):
        raise InfeasiblePinError(f"SME {cohort.sme_ids[i]} has more pins than "
                                 f"mentors_per_sme={per_sme}", code="sme_too_many_pins",
                                 sme_id=int(cohort.sme_ids[i]), num=per_sme)
    for j in np.flatnonzero(pins.sum(axis=0) > cohort.capacity):
        raise InfeasiblePinError(f"mentor {cohort.mentor_ids[j]} has more pins than its "
                                 f"capacity left ({cohort.capacity[j]})",
                                 code="mentor_too_many_pins",
                                 mentor_id=int(cohort.mentor_ids[j]),
                                 num=int(cohort.capacity[j]))


def _pair_matrix(cohort: CohortScores, pairs: Iterable[Pair], label: str) -> np.ndarray:
    matrix = np.zeros(cohort.scores.shape, bool)
    rows = {int(v): i for i, v in enumerate(cohort.sme_ids)}
    cols = {int(v): j for j, v in enumerate(cohort.mentor_ids)}
    for sme_id, mentor_id in pairs:
        if sme_id not in rows or mentor_id not in cols:
            raise CohortError(f"{label} pair ({sme_id}, {mentor_id}) names an SME or mentor "
                              "outside the cohort", code="pair_outside_cohort", option=label,
                              sme_id=sme_id, mentor_id=mentor_id)
        matrix[rows[sme_id], cols[mentor_id]] = True
    return matrix


def _totals(cohort: CohortScores, chosen: np.ndarray) -> tuple[float, int]:
    total = float(cohort.scores.astype(np.float64)[chosen].sum())
    return total, int(chosen.any(axis=1).sum())


def _pairs(cohort: CohortScores, chosen: np.ndarray,
           pins: np.ndarray) -> tuple[CohortPair, ...]:
    rows, cols = np.nonzero(chosen)
    return tuple(CohortPair(int(cohort.sme_ids[i]), int(cohort.mentor_ids[j]),
                            float(cohort.scores[i, j]), bool(pins[i, j]))
                 for i, j in zip(rows.tolist(), cols.tolist(), strict=True))


def _unassigned(cohort: CohortScores, chosen: np.ndarray, pins: np.ndarray,
                banned: np.ndarray, per_sme: int) -> tuple[Unassigned, ...]:
    missing = per_sme - chosen.sum(axis=1)
    eligible = cohort.eligible.sum(axis=1)
    open_pairs = (cohort.eligible & ~banned).sum(axis=1)
    out = []
    for i in np.flatnonzero(missing > 0).tolist():
        if not cohort.sme_active[i]:
            reason = "inactive"
        elif eligible[i] <= chosen[i].sum():
            reason = "no_eligible_mentor"
        elif open_pairs[i] <= chosen[i].sum():
            reason = "excluded"
        else:
            reason = "capacity_exhausted"
        out.append(Unassigned(int(cohort.sme_ids[i]), reason, int(missing[i])))
    return tuple(out)


def _check_records(records: Sequence[ProfileRecord], kind: str) -> None:
    strays = [r.id for r in records if r.kind != kind]
    if strays:
        raise CohortError(f"profiles {strays[:5]} are not of kind {kind!r}",
                          code="wrong_kind", ids=strays[:5], kind=kind)
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise CohortError(f"duplicate {kind} ids in the cohort", code="duplicate_ids",
                          kind=kind)


def _capacities(mentors: Sequence[ProfileRecord], n: int,
                overrides: Mapping[int, int] | None) -> np.ndarray:
    overrides = overrides or {}
    out = np.zeros(len(mentors), np.int64)
    for j, record in enumerate(mentors):
        left = overrides.get(record.id, record.capacity_left)
        if left is None:
            left = record.capacity if record.capacity is not None else n
        if record.active and not record.paused:
            out[j] = min(max(int(left), 0), n)
    return out


def _position(ids: np.ndarray, value: int, label: str) -> int:
    found = np.flatnonzero(ids == value)
    if not found.size:
        raise CohortError(f"unknown {label} id {value!r}", code="unknown_id", option=label,
                          value=value)
    return int(found[0])
