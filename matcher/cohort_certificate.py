"""The optimality certificate of a cohort allocation: node potentials and an LP-duality bound.

The allocation is a circulation in a network with one root node ``R`` (source and sink
merged), one node per SME and one per mentor:

====================  ========================  ==========================================
arc                   capacity                  profit (integer units)
====================  ========================  ==========================================
``R → sme`` (first)   1                         ``bonus[i]`` (coverage objective, else 0)
``R → sme`` (rest)    ``demand[i] - 1``         0
``sme → mentor``      1                         ``weight[i, j]`` (eligible pairs only)
``mentor → R``        ``capacity[j]``           0
====================  ========================  ==========================================

For *any* integer potentials ``π``, weak LP duality gives an upper bound on the profit of every
allocation: ``Σ_a capacity_a · max(0, profit_a - π_tail + π_head)`` (the flow of a circulation
telescopes the potentials away). :func:`potentials` finds potentials by Bellman–Ford on the
residual graph of the candidate arcs; :func:`upper_bound` evaluates the bound over *every*
eligible pair, pruned or not. When the bound equals the allocation's profit, no allocation is
better: that is the certificate. All arithmetic is exact, in int64.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Network", "potentials", "upper_bound"]


@dataclass(frozen=True, eq=False)
class Network:
    """An allocation problem on integer rows and its current flow.

    ``weight`` is ``(n_smes, n_mentors)`` int64, meaningful where ``allowed``; ``assigned`` is
    a boolean matrix of the chosen pairs (pins already removed from the problem).
    """

    weight: np.ndarray
    allowed: np.ndarray
    demand: np.ndarray
    capacity: np.ndarray
    bonus: np.ndarray
    assigned: np.ndarray

    @property
    def sme_flow(self) -> np.ndarray:
        """Return the number of mentors assigned to each SME."""
        return self.assigned.sum(axis=1)

    @property
    def mentor_load(self) -> np.ndarray:
        """Return the number of SMEs assigned to each mentor."""
        return self.assigned.sum(axis=0)

    def profit(self) -> int:
        """Return the allocation's profit: weights of the chosen pairs plus earned bonuses."""
        covered = self.sme_flow > 0
        return int(self.weight[self.assigned].sum() + self.bonus[covered].sum())


def potentials(net: Network, rows: np.ndarray, cols: np.ndarray,
               start: tuple[np.ndarray, np.ndarray, int] | None = None,
               max_rounds: int | None = None) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Return potentials ``(sme, mentor, root)`` making every residual candidate arc tight or slack.

    ``rows``/``cols`` are the candidate pairs (the assigned pairs among them). Bellman–Ford
    rounds relax all arcs at once until nothing changes; None means it did not settle within
    ``max_rounds`` (a negative cycle: the flow is not optimal on the candidates).
    """
    n, m = net.weight.shape
    used = net.assigned[rows, cols]
    w = net.weight[rows, cols]
    free_r, free_c, free_w = _by_mentor(rows[~used], cols[~used], w[~used], m)
    used_r, used_c, used_w = rows[used], cols[used], w[used]
    flow, load = net.sme_flow, net.mentor_load
    has_bonus = (net.bonus > 0) & (net.demand > 0)
    plain_cap = net.demand - has_bonus
    bonus_flow = np.minimum(flow, has_bonus)
    plain_flow = flow - bonus_flow
    # R -> sme arcs: forward residual gives d_sme <= d_R + cost; backward gives d_R <= d_sme - cost
    into_sme = np.full(n, np.iinfo(np.int64).max // 4, np.int64)
    into_sme[plain_flow < plain_cap] = 0
    bonus_open = has_bonus & (bonus_flow == 0)
    into_sme[bonus_open] = -net.bonus[bonus_open]
    out_sme = np.where(plain_flow > 0, 0, np.where(bonus_flow > 0, net.bonus, _FAR))
    if start is None:  # single source R: the highest mentor prices, the lowest SME profits
        d_sme, d_men, d_root = np.full(n, _UNREACHED), np.full(m, _UNREACHED), 0
    else:
        d_sme, d_men, d_root = start[0].copy(), start[1].copy(), int(start[2])
    mentor_out = load < net.capacity
    mentor_in = load > 0
    limit = max_rounds if max_rounds is not None else 2 * (n + m) + 2
    for _ in range(limit):
        new_men = np.minimum(d_men, _segment_min(d_sme[free_r] - free_w, free_c, m))
        new_men[mentor_in] = np.minimum(new_men[mentor_in], d_root)
        new_sme = np.minimum(d_sme, d_root + into_sme)
        np.minimum.at(new_sme, used_r, new_men[used_c] + used_w)  # Gauss–Seidel: fresh mentors
        candidates = [d_root]
        if np.any(out_sme < _FAR):
            candidates.append(int(np.min(d_sme + out_sme)))
        if np.any(mentor_out):
            candidates.append(int(d_men[mentor_out].min()))
        new_root = min(candidates)
        if (new_root == d_root and np.array_equal(new_sme, d_sme)
                and np.array_equal(new_men, d_men)):
            # Nodes no residual path reaches get the root's potential (price 0, profit 0).
            d_sme[d_sme >= _UNREACHED // 2] = d_root
            d_men[d_men >= _UNREACHED // 2] = d_root
            return d_sme, d_men, d_root
        d_sme, d_men, d_root = new_sme, new_men, new_root
    return None


def upper_bound(net: Network, pots: tuple[np.ndarray, np.ndarray, int]) -> tuple[int, np.ndarray]:
    """Return the duality bound of ``pots`` over all allowed pairs, and the violating pairs.

    The second item is the boolean matrix of unassigned allowed pairs whose reduced profit is
    positive (the pairs to add to the candidates).
    """
    d_sme, d_men, d_root = pots
    reduced = net.weight - d_sme[:, None] + d_men[None, :]
    reduced[~net.allowed] = 0
    np.maximum(reduced, 0, out=reduced)
    bound = int(reduced.sum())
    violating = (reduced > 0) & ~net.assigned
    has_bonus = (net.bonus > 0) & (net.demand > 0)
    bound += int(np.maximum(net.bonus - d_root + d_sme, 0)[has_bonus].sum())
    plain_cap = net.demand - has_bonus
    bound += int((plain_cap * np.maximum(d_sme - d_root, 0)).sum())
    bound += int((net.capacity * np.maximum(d_root - d_men, 0)).sum())
    return bound, violating


_FAR = np.iinfo(np.int64).max // 4
_UNREACHED = np.int64(1 << 42)


def _by_mentor(rows: np.ndarray, cols: np.ndarray, w: np.ndarray,
               m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(cols, kind="stable")
    return rows[order], cols[order], w[order]


def _segment_min(values: np.ndarray, sorted_keys: np.ndarray, size: int) -> np.ndarray:
    """Return the minimum of ``values`` per key (keys sorted ascending), ``_FAR`` if none."""
    out = np.full(size, _FAR, np.int64)
    if values.size:
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        out[sorted_keys[starts]] = np.minimum.reduceat(values, starts)
    return out
