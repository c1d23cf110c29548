"""The exact cohort solver and the greedy baseline, on integer rows and integer weights.

:func:`solve_exact` maximises the profit of a :class:`~matcher.cohort_certificate.Network`
(weights, plus a per-SME bonus for the first mentor under the coverage objective) by column
generation: solve exactly on a sparse candidate graph, then certify on the *full* graph with
the duality bound of :mod:`matcher.cohort_certificate`; pairs that break the bound join the
candidates and the subproblem is solved again, until the bound equals the profit.

The subproblem solver is SciPy's LAPJVsp (``min_weight_full_bipartite_matching``) when every
SME wants one mentor — mentors' slots are replicated columns and each SME has a private
"unassigned" column — and HiGHS' dual simplex (``linprog``) on the flow LP otherwise (its
constraint matrix is totally unimodular, so the vertex it returns is integral). LAPJVsp works
on float64 holding integers below 2**53, so it is exact; whichever solver runs, only the
certificate decides ``certified``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .cohort_certificate import Network, potentials, upper_bound

__all__ = ["ExactSolution", "greedy_assign", "solve_exact"]

SME_CANDIDATES = 6
"""Candidate mentors per SME in the first subproblem (its best-scored allowed mentors)."""
MENTOR_CANDIDATES = 2
"""Candidate SMEs per mentor slot in the first subproblem (each mentor's best-scored SMEs)."""
ADDED_PER_SME = 8
"""Violating pairs added per SME and round of column generation."""
MAX_ROUNDS = 12


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
        cand |= _strongest(violating, current, pots)
    return ExactSolution(assigned, profit, bound, False, MAX_ROUNDS, int(cand.sum()))


def _initial_candidates(net: Network, seed_pairs: np.ndarray | None) -> np.ndarray:
    n, m = net.weight.shape
    score = np.where(net.allowed, net.weight, -1)
    cand = np.zeros((n, m), bool)
    k = min(m, SME_CANDIDATES + int(net.demand.max(initial=0)))
    if k and n:
        top = np.argpartition(-score, k - 1, axis=1)[:, :k]
        cand[np.arange(n)[:, None], top] = True
    per_mentor = np.minimum(np.maximum(net.capacity, 1) * MENTOR_CANDIDATES, n)
    r = int(per_mentor.max(initial=0))
    if r and m:
        best = np.argpartition(-score, r - 1, axis=0)[:r, :]
        keep = np.arange(r)[:, None] < per_mentor[None, :]
        cand[best[keep], np.broadcast_to(np.arange(m), (r, m))[keep]] = True
    if seed_pairs is not None:
        cand |= seed_pairs
    cand &= net.allowed
    cand[net.demand <= 0] = False
    cand[:, net.capacity <= 0] = False
    return cand


def _strongest(violating: np.ndarray, net: Network, pots: tuple) -> np.ndarray:
    """Return, per SME, the (at most ``ADDED_PER_SME``) pairs that violate the bound most."""
    d_sme, d_men, _ = pots
    reduced = np.where(violating, net.weight - d_sme[:, None] + d_men[None, :], -1)
    n, m = reduced.shape
    k = min(ADDED_PER_SME, m)
    top = np.argpartition(-reduced, k - 1, axis=1)[:, :k]
    picked = np.zeros_like(violating)
    picked[np.arange(n)[:, None], top] = True
    return picked & violating


def _solve_subproblem(net: Network, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if rows.size == 0:
        return np.zeros_like(net.allowed)
    if int(net.demand.max()) <= 1:
        return _solve_matching(net, rows, cols)
    return _solve_lp(net, rows, cols)


def _solve_matching(net: Network, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Solve a one-mentor-per-SME subproblem with LAPJVsp over replicated mentor slots."""
    n, m = net.weight.shape
    wanted = np.flatnonzero(net.demand > 0)
    local = np.full(n, -1)
    local[wanted] = np.arange(wanted.size)
    profit = net.weight[rows, cols] + net.bonus[rows]
    slots = np.minimum(net.capacity, np.bincount(cols, minlength=m))
    first = np.concatenate(([0], np.cumsum(slots)))
    reps = slots[cols]
    arc = np.repeat(np.arange(rows.size), reps)
    slot = np.arange(arc.size) - np.repeat(np.cumsum(reps) - reps, reps)
    ceiling = 2 * int(profit.max()) + 1  # a constant per row: LAPJVsp runs faster so
    # float64 holds these integers exactly: costs stay far below 2**53 / n.
    r = np.concatenate((local[rows][arc], np.arange(wanted.size)))
    c = np.concatenate((first[cols][arc] + slot, first[-1] + np.arange(wanted.size)))
    cost = np.concatenate((ceiling - profit[arc], np.full(wanted.size, ceiling))).astype(float)
    graph = sp.csr_array((cost, (r, c)), shape=(wanted.size, first[-1] + wanted.size))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = col_ind < first[-1]
    mentor = np.searchsorted(first, col_ind[real], side="right") - 1
    assigned = np.zeros((n, m), bool)
    assigned[wanted[row_ind[real]], mentor] = True
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
