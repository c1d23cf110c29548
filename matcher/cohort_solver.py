"""The exact cohort solver and the greedy baseline, on integer rows and integer weights.

:func:`solve_exact` maximises the profit of a :class:`~matcher.cohort_certificate.Network`
(weights, plus a per-SME bonus for the first mentor under the coverage objective) by column
generation: solve exactly on a sparse candidate graph, then certify on the *full* graph with
the duality bound of :mod:`matcher.cohort_certificate`; pairs that break the bound join the
candidates and the subproblem is solved again, until the bound equals the profit. Pairs that
*nearly* break it (by less than the largest violation) join too, since prices shift when the
violators join: on competitive cohorts the second round then certifies instead of the third.

The subproblem solver is SciPy's LAPJVsp (``min_weight_full_bipartite_matching``) when every
SME wants one mentor — mentors' slots are replicated columns and each SME has a private
"unassigned" column, or a few shared ones when few SMEs must stay out (LAPJVsp's time grows with
the columns) — and HiGHS' dual simplex (``linprog``) on the flow LP otherwise (its
constraint matrix is totally unimodular, so the vertex it returns is integral). LAPJVsp works
on float64 holding integers below 2**53, so it is exact; whichever solver runs, only the
certificate decides ``certified``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

from .cohort_certificate import Network, potentials, upper_bound

__all__ = ["ExactSolution", "greedy_assign", "solve_exact"]

SME_CANDIDATES = 6
"""Candidate mentors per SME in the first subproblem (its best-scored allowed mentors)."""
MENTOR_CANDIDATES = 2
"""Candidate SMEs per mentor slot in the first subproblem (each mentor's best-scored SMEs)."""
ADDED_PER_SME = 8
"""Pairs added per SME (on average) and round of column generation, at most."""
MAX_ROUNDS = 12
SHARED_SPARE = 16
"""Shared unassigned columns beyond the number of SMEs a maximum matching leaves out."""


@dataclass(frozen=True)
class ExactSolution:
    """The assignment matrix, its profit, the duality bound and how the proof went."""

    assigned: np.ndarray
    profit: int
    bound: int
    certified: bool
    rounds: int
    candidates: int


def solve_exact(net: Network, *, seed_pairs: np.ndarray | None = None) -> ExactSolution:
    """Return a maximum-profit assignment of ``net`` (its ``assigned`` is ignored).

    ``seed_pairs`` (a boolean matrix, e.g. the greedy assignment) joins the first candidates.
    """
    cand = _initial_candidates(net, seed_pairs)
    for round_number in range(1, MAX_ROUNDS + 1):
        rows, cols = np.nonzero(cand)
        assigned = _solve_subproblem(net, rows, cols)
        current = replace(net, assigned=assigned)
        profit = current.profit()
        pots = potentials(current, rows, cols, max_rounds=4 * sum(net.weight.shape))
        if pots is None:  # not optimal on its own candidates: a solver failure
            return ExactSolution(assigned, profit, -1, False, round_number, rows.size)
        bound, violating = upper_bound(current, pots)
        if bound == profit or not violating.any():
            return ExactSolution(assigned, profit, bound, bound == profit, round_number,
                                 rows.size)
        cand |= _nearly_violating(current, pots, cand)
    return ExactSolution(assigned, profit, bound, False, MAX_ROUNDS, int(cand.sum()))


def _initial_candidates(net: Network, seed_pairs: np.ndarray | None) -> np.ndarray:
    n, m = net.weight.shape
    score = np.where(net.allowed, net.weight, -1)
    if score.max(initial=0) < 2**31:  # as scores are: int32 halves the partitions' traffic
        score = score.astype(np.int32)
    cand = np.zeros((n, m), bool)
    k = min(m, SME_CANDIDATES + int(net.demand.max(initial=0)))
    if k and n:
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        cand[np.arange(n)[:, None], top] = True
    per_mentor = np.minimum(np.maximum(net.capacity, 1) * MENTOR_CANDIDATES, n)
    r = int(per_mentor.max(initial=0))
    if r and m:
        best = np.argpartition(-score.T, r - 1, axis=1)[:, :r]  # a row per mentor: contiguous
        keep = np.arange(r)[None, :] < per_mentor[:, None]
        cand[best[keep], np.broadcast_to(np.arange(m)[:, None], (m, r))[keep]] = True
    if seed_pairs is not None:
        cand |= seed_pairs
    cand &= net.allowed
    cand[net.demand <= 0] = False
    cand[:, net.capacity <= 0] = False
    return cand


def _nearly_violating(net: Network, pots: tuple, cand: np.ndarray) -> np.ndarray:
    """Return the pairs to add: the violating ones and those within a margin of violating.

    Prices move when the violating pairs join, by about the size of the violations, so
    pairs that fall short of violating by less than the largest violation join too (at most
    ``ADDED_PER_SME`` per SME on average, the most violating first): the next round then
    usually certifies.
    """
    d_sme, d_men, _ = pots
    reduced = net.weight - d_sme[:, None]
    reduced += d_men[None, :]
    reduced[~net.allowed | cand] = _NONE
    flat = reduced.ravel()
    margin = int(flat.max())
    picked = np.flatnonzero(flat > -margin)
    cap = ADDED_PER_SME * net.weight.shape[0]
    if picked.size > cap:
        picked = picked[np.argpartition(-flat[picked], cap - 1)[:cap]]
    added = np.zeros(net.weight.shape, bool)
    added.ravel()[picked] = True
    return added


_NONE = np.iinfo(np.int64).min // 4


def _solve_subproblem(net: Network, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if rows.size == 0:
        return np.zeros_like(net.allowed)
    if int(net.demand.max()) <= 1:
        return _solve_matching(net, rows, cols)
    return _solve_lp(net, rows, cols)


def _solve_matching(net: Network, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Solve a one-mentor-per-SME subproblem with LAPJVsp over replicated mentor slots.

    Rows are the SMEs with candidates; columns the mentors' slots, then "unassigned" columns
    of cost ``ceiling``. LAPJVsp's time grows with the number of columns, so rather than one
    private unassigned column per SME, a few shared ones (every SME may take any) serve when
    the maximum matching leaves few SMEs out: the optimum leaves out at least that many,
    and when it does not use every shared column, the limit on them did not bind, so it is
    optimal without the limit too (the LP is convex). Otherwise the private columns are used.
    """
    n, m = net.weight.shape
    wanted = np.flatnonzero(np.bincount(rows, minlength=n) > 0)
    local = np.full(n, -1)
    local[wanted] = np.arange(wanted.size)
    slots = np.minimum(net.capacity, np.bincount(cols, minlength=m))
    first = np.concatenate(([0], np.cumsum(slots)))
    reps = slots[cols]
    arc = np.repeat(np.arange(rows.size), reps)
    slot_col = first[cols][arc] + np.arange(arc.size) - np.repeat(np.cumsum(reps) - reps, reps)
    slot_row = local[rows][arc]
    # float64 holds these integers exactly: costs stay far below 2**53 / n.
    cost = (net.weight[rows, cols] + net.bonus[rows])[arc]
    ceiling = 2 * int(cost.max(initial=0)) + 1  # a constant per row: LAPJVsp runs faster so
    cost = ceiling - cost
    pattern = sp.csr_array((np.ones(arc.size), (slot_row, slot_col)),
                           shape=(wanted.size, first[-1]))
    left_out = wanted.size - int((maximum_bipartite_matching(pattern) >= 0).sum())
    shared = left_out + SHARED_SPARE
    if shared * wanted.size < arc.size:
        col_ind = _match(slot_row, slot_col, cost, ceiling, wanted.size, first[-1], shared)
        if (col_ind >= first[-1]).sum() < shared:
            return _assignment(net, wanted, col_ind, first)
    col_ind = _match(slot_row, slot_col, cost, ceiling, wanted.size, first[-1], None)
    return _assignment(net, wanted, col_ind, first)


def _match(r: np.ndarray, c: np.ndarray, cost: np.ndarray, ceiling: int, n_rows: int,
           n_slots: int, shared: int | None) -> np.ndarray:
    """Return each row's column in a min-cost full matching with unassigned columns.

    ``shared`` unassigned columns open to every row, or (None) one private column per row.
    """
    if shared is None:
        out_r, out_c = np.arange(n_rows), n_slots + np.arange(n_rows)
    else:
        out_r = np.repeat(np.arange(n_rows), shared)
        out_c = n_slots + np.tile(np.arange(shared), n_rows)
    graph = sp.csr_array((np.concatenate((cost, np.full(out_r.size, ceiling))).astype(float),
                          (np.concatenate((r, out_r)), np.concatenate((c, out_c)))),
                         shape=(n_rows, n_slots + (n_rows if shared is None else shared)))
    return min_weight_full_bipartite_matching(graph)[1]


def _assignment(net: Network, wanted: np.ndarray, col_ind: np.ndarray,
                first: np.ndarray) -> np.ndarray:
    real = col_ind < first[-1]
    mentor = np.searchsorted(first, col_ind[real], side="right") - 1
    assigned = np.zeros(net.weight.shape, bool)
    assigned[wanted[real], mentor] = True
    return assigned


def _solve_lp(net: Network, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Solve the flow LP on the candidate pairs with HiGHS (two stages for coverage)."""
    n, m = net.weight.shape
    k = rows.size
    covered = np.flatnonzero((net.bonus > 0) & (net.demand > 0))
    ones = np.ones(k)
    by_sme = sp.csr_array((ones, (rows, np.arange(k))), shape=(n, k))
    by_mentor = sp.csr_array((ones, (cols, np.arange(k))), shape=(m, k))
    y = sp.csr_array((np.ones(covered.size), (covered, np.arange(covered.size))),
                     shape=(n, covered.size))
    zeros = sp.csr_array((m, covered.size))
    a_ub = sp.vstack([sp.hstack([by_sme, sp.csr_array((n, covered.size))]),
                      sp.hstack([by_mentor, zeros]), sp.hstack([-by_sme, y])]).tocsr()
    b_ub = np.concatenate((net.demand, net.capacity, np.zeros(n))).astype(float)
    bounds = (0.0, 1.0)
    weights = net.weight[rows, cols] / 1e6
    options = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
    if covered.size:
        first = linprog(np.concatenate((np.zeros(k), -np.ones(covered.size))), A_ub=a_ub,
                        b_ub=b_ub, bounds=bounds, method="highs-ds", options=options)
        reach = round(-first.fun)
        extra = sp.hstack([sp.csr_array((1, k)), -np.ones((1, covered.size))])
        a_ub = sp.vstack([a_ub, extra]).tocsr()
        b_ub = np.concatenate((b_ub, [-reach]))
    c = np.concatenate((-weights, np.zeros(covered.size)))
    result = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs-ds",
                     options=options)
    chosen = result.x[:k] > 0.5
    assigned = np.zeros((n, m), bool)
    assigned[rows[chosen], cols[chosen]] = True
    return assigned


def greedy_assign(net: Network, blocks: int = 16) -> np.ndarray:
    """Return the greedy assignment: allowed pairs by decreasing weight, while room remains.

    Ties go to the lower SME row, then the lower mentor column. Pairs are taken in blocks of
    decreasing weight; a block only visits pairs whose SME and mentor still had room when the
    block started, so the Python loop sees few pairs.
    """
    n, m = net.weight.shape
    sme_left = net.demand.astype(np.int64).copy()
    mentor_left = net.capacity.astype(np.int64).copy()
    assigned = np.zeros((n, m), bool)
    flat = np.flatnonzero(net.allowed)
    weights = net.weight.ravel()[flat]
    edges = np.unique(np.quantile(weights, np.linspace(1, 0, blocks + 1)[1:-1])) \
        if weights.size else np.array([])
    upper = None
    for lower in [*edges[::-1], None]:
        mask = np.ones(flat.size, bool)
        if lower is not None:
            mask &= weights >= lower
        if upper is not None:
            mask &= weights < upper
        upper = lower
        pick = flat[mask]
        i, j = np.divmod(pick, m)
        alive = (sme_left[i] > 0) & (mentor_left[j] > 0)
        pick, i, j = pick[alive], i[alive], j[alive]
        order = np.lexsort((j, i, -net.weight.ravel()[pick]))
        for a, b in zip(i[order].tolist(), j[order].tolist(), strict=True):
            if sme_left[a] > 0 and mentor_left[b] > 0:
                sme_left[a] -= 1
                mentor_left[b] -= 1
                assigned[a, b] = True
        if not sme_left.any() or not mentor_left.any():
            break
    return assigned
