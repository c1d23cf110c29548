"""Fair exposure: re-rank a query's best candidates so that rarely shown ones get their turn.

A ranking that always shows the same few candidates leaves the rest of a program unseen (on
the demo program, 41% of SMEs never appear in any buyer's top 5). The re-ranker adds to each
candidate's score a *bounded, diminishing* bonus for being shown rarely so far::

    bonus(e) = strength * r / (r + e)

where ``e`` is the candidate's exposure (how many requesters were shown it, over the program
so far) and ``r`` the reference exposure (by default the mean exposure of the candidates
re-ranked, so the bonus depends on how a candidate was shown compared with its competitors,
not on the program's size). A candidate never shown gets ``strength``; one shown as often as
the reference gets half of it; a much-shown one almost nothing. Then:

* **relevance is kept**: the bonus lies in ``[0, strength]``, so a candidate is lifted over
  another only when its score is less than ``strength`` below (scores are in [0, 1]); and
  only the best ``pool_size(k)`` candidates by score are re-ranked, so nobody further down
  enters the top k;
* **amortised**: the exposure counts accumulate over the program (the caller keeps them: the
  service from its impression log, :class:`ExposureCounter` in memory), so a candidate's turn
  comes when it has been shown less than its competitors, over many rankings, not within one;
* **deterministic**: the same scores and counts give the same order; ties keep the plain
  order (score, then id).

The score and the reasons of each match are its own: the re-ranking changes the order only.
:func:`gini` and :func:`never_shown_share` measure how evenly appearances are spread.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .errors import InvalidQueryError

__all__ = ["DEFAULT_DEPTH", "DEFAULT_STRENGTH", "ExposureCounter", "ExposureReranker",
           "exposure_bonus", "gini", "never_shown_share", "rerank_order"]

DEFAULT_STRENGTH = 0.1
DEFAULT_DEPTH = 20

ExposureOf = Callable[[np.ndarray], np.ndarray]  # candidate ids -> exposure counts


def exposure_bonus(exposures: np.ndarray, strength: float,
                   reference: float | None = None) -> np.ndarray:
    """Return each candidate's bonus ``strength * r / (r + e)``, in ``[0, strength]``.

    Parameters
    ----------
    exposures : ndarray of shape (n,)
        Non-negative exposure counts.
    strength : float
        The largest bonus, given to a candidate never shown (in score units).
    reference : float or None
        The exposure that earns half the bonus; None means the mean of ``exposures``. With a
        reference of 0 (nobody shown yet) every candidate gets the same bonus.
    """
    e = np.asarray(exposures, dtype=np.float64)
    r = float(e.mean()) if reference is None and e.size else float(reference or 0.0)
    if r <= 0.0:
        return np.full(e.shape, float(strength))
    return strength * r / (r + e)


def rerank_order(scores: np.ndarray, exposures: np.ndarray, k: int, *,
                 strength: float = DEFAULT_STRENGTH,
                 reference: float | None = None,
                 places: int | None = None, depth: int = DEFAULT_DEPTH) -> np.ndarray:
    """Return the positions of the ``k`` best candidates by score plus exposure bonus.

    ``scores`` are listed in the plain order (best first); ties of the adjusted score keep
    that order. A candidate is placed above another only if its score is less than
    ``strength`` below the other's.

    Without ``places`` the ``k`` best of all the candidates given are taken. With ``places``
    the order is one ranking however deep it is asked for, so that pages cut from it never
    repeat nor skip a candidate: place ``i`` goes to the best adjusted candidate not placed
    yet among the best ``max(i + 1, places) + depth`` by score (the first ``places`` places
    are a re-ranked top of that many, each later place may take a candidate from ``depth``
    further down), and the reference defaults to the mean exposure of the best
    ``places + depth`` — neither depends on ``k``, so the first ``k`` places are the same for
    any larger ``k``.
    """
    scores = np.asarray(scores, dtype=np.float64)
    exposures = np.asarray(exposures, dtype=np.float64)
    if places is None:
        adjusted = scores + exposure_bonus(exposures, strength, reference)
        plain = np.arange(scores.size)
        return np.lexsort((plain, -adjusted))[:k]
    if reference is None:
        reference = float(exposures[:places + depth].mean()) if exposures.size else 0.0
    adjusted = (scores + exposure_bonus(exposures, strength, reference)).tolist()
    waiting: list[tuple[float, int]] = []
    order: list[int] = []
    entered = 0
    for place in range(min(k, scores.size)):
        reach = min(scores.size, max(place + 1, places) + depth)
        for position in range(entered, reach):
            heapq.heappush(waiting, (-adjusted[position], position))
        entered = max(entered, reach)
        order.append(heapq.heappop(waiting)[1])
    return np.array(order, dtype=np.int64)


@dataclass(frozen=True)
class ExposureReranker:
    """Re-rank the best ``k + depth`` candidates of a ranking by exposure (see module doc).

    Passed to :func:`matcher.rank` as ``rerank=``; the ranking asks it for the pool size,
    scores the pool, then calls :meth:`order`.

    Parameters
    ----------
    exposure_of : callable
        Maps an array of candidate ids to their exposure counts (same length).
    strength : float
        Largest bonus, in [0, 1] score units; 0 gives the plain ranking.
    depth : int
        Candidates beyond the k asked for that may be lifted into the top k.
    reference : float or None
        The exposure earning half the bonus; None: the mean over the pool (with ``places``,
        over the best ``places + depth``).
    places : int or None
        When given, the ranking is one order however deep it is asked for (pages cut from it
        neither repeat nor skip a candidate, see :func:`rerank_order`): the first ``places``
        places draw from the best ``places + depth``, each later place ``i`` from the best
        ``i + 1 + depth``. None: the best ``k + depth`` are re-ranked as one top ``k``, which
        depends on ``k``.
    """

    exposure_of: ExposureOf
    strength: float = DEFAULT_STRENGTH
    depth: int = DEFAULT_DEPTH
    reference: float | None = None
    places: int | None = None

    def __post_init__(self) -> None:
        if (isinstance(self.strength, bool) or not isinstance(self.strength, int | float)
                or not math.isfinite(self.strength) or not 0.0 <= self.strength <= 1.0):
            raise InvalidQueryError(f"strength must be in [0, 1], not {self.strength!r}")
        if isinstance(self.depth, bool) or not isinstance(self.depth, int) or self.depth < 0:
            raise InvalidQueryError(f"depth must be a non-negative integer, not {self.depth!r}")
        if self.reference is not None and not (math.isfinite(self.reference)
                                               and self.reference >= 0):
            raise InvalidQueryError(f"reference must be >= 0, not {self.reference!r}")
        if self.places is not None and (isinstance(self.places, bool)
                                        or not isinstance(self.places, int) or self.places < 1):
            raise InvalidQueryError(f"places must be a positive integer, not {self.places!r}")

    def pool_size(self, k: int) -> int:
        """Return how many of the best candidates by score are re-ranked for a top ``k``."""
        if self.strength <= 0:
            return k
        return (k if self.places is None else max(k, self.places)) + self.depth

    def order(self, scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
        """Return the positions (into ``scores``, listed best first) of the re-ranked top k."""
        if self.strength == 0 or len(scores) == 0:
            return np.arange(min(k, len(scores)))
        exposures = np.asarray(self.exposure_of(np.asarray(ids, dtype=np.int64)), np.float64)
        if exposures.shape != (len(scores),) or not np.all(exposures >= 0):
            raise InvalidQueryError("exposure_of must return one count >= 0 per candidate")
        return rerank_order(scores, exposures, k, strength=self.strength,
                            reference=self.reference, places=self.places, depth=self.depth)


class ExposureCounter:
    """An in-memory amortised exposure count: how many rankings showed each candidate.

    ``exclude`` lets a requester's own past views not count against what it is shown (a
    page reload then shows the same list).
    """

    def __init__(self) -> None:
        self.counts_: dict[int, int] = {}
        self.by_requester_: dict[int, set[int]] = {}

    def record(self, requester: int, shown: Iterable[int]) -> None:
        """Count one ranking's shown candidates, once per requester."""
        seen = self.by_requester_.setdefault(requester, set())
        for pid in shown:
            if pid not in seen:
                seen.add(pid)
                self.counts_[pid] = self.counts_.get(pid, 0) + 1

    def exposure_of(self, requester: int | None = None) -> ExposureOf:
        """Return a lookup of exposure counts, leaving out ``requester``'s own views."""
        own = self.by_requester_.get(requester, set()) if requester is not None else set()

        def lookup(ids: np.ndarray) -> np.ndarray:
            return np.array([self.counts_.get(int(i), 0) - (int(i) in own) for i in ids],
                            dtype=np.float64)
        return lookup


def gini(counts: np.ndarray) -> float:
    """Return the Gini coefficient of non-negative counts (0: even, near 1: concentrated).

    Zero counts are included: every candidate that could have been shown is in ``counts``.
    """
    x = np.sort(np.asarray(counts, dtype=np.float64))
    n, total = x.size, x.sum()
    if n == 0 or total == 0:
        return 0.0
    return float((2.0 * np.arange(1, n + 1) - n - 1) @ x / (n * total))


def never_shown_share(counts: np.ndarray) -> float:
    """Return the share of candidates with a count of zero."""
    x = np.asarray(counts)
    return float(np.count_nonzero(x == 0) / x.size) if x.size else 0.0
