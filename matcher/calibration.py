"""Calibration: does a score of 0.3 mean that 3 pairs in 10 are accepted?

:func:`reliability_table` bins predicted probabilities and sets each bin's mean prediction beside
the acceptance rate observed in it; :func:`calibration_error` summarises the table as the
outcome-weighted mean gap (expected calibration error).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["BIN_EDGES", "calibration_error", "reliability_table"]

BIN_EDGES: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability_table(p: np.ndarray, y: np.ndarray,
                      edges: Sequence[float] = BIN_EDGES) -> list[dict[str, float]]:
    """Return one row per non-empty bin of ``p``: its bounds, count, mean predicted, observed.

    Parameters
    ----------
    p : ndarray of shape (n,)
        Predicted acceptance probabilities.
    y : ndarray of shape (n,)
        Outcomes, 0 or 1.
    """
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    bins = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for b in np.unique(bins):
        mask = bins == b
        rows.append({"low": float(edges[b]), "high": float(edges[b + 1]),
                     "n": int(mask.sum()), "predicted": float(p[mask].mean()),
                     "observed": float(y[mask].mean())})
    return rows


def calibration_error(table: Sequence[dict[str, float]]) -> float:
    """Return the expected calibration error of a reliability table (0 when calibrated)."""
    total = sum(row["n"] for row in table)
    if not total:
        return float("nan")
    return float(sum(row["n"] * abs(row["predicted"] - row["observed"]) for row in table)
                 / total)
