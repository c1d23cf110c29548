"""Logistic regression whose weights shrink toward given centre weights, not toward 0.

Minimises ``Σ s_i · logloss(y_i, σ(x_i·w + b)) + ½ λ ‖w − w₀‖²`` (``λ = 1 / C``; the intercept
is not penalised). With few outcomes the weights stay near ``w₀`` (the champion's); the more
outcomes, the more the data decide. Centred at ``w₀ = 0`` this is scikit-learn's L2
``LogisticRegression``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

__all__ = ["fit_logistic_toward", "fit_offset_intercept"]


def fit_logistic_toward(X: np.ndarray, y: np.ndarray, centre: np.ndarray, intercept: float,
                        C: float = 1.0, sample_weight: np.ndarray | None = None,
                        max_iter: int = 1000) -> tuple[np.ndarray, float]:
    """Return ``(coef, intercept)`` of an L2 logistic regression centred on ``centre``.

    Parameters
    ----------
    X : ndarray of shape (n, p)
    y : ndarray of shape (n,), values 0/1
    centre : ndarray of shape (p,)
        Weights the penalty pulls toward (the champion's).
    intercept : float
        Starting intercept.
    C : float
        Inverse penalty strength (larger: the data move the weights further).
    """
    s = np.ones(y.size) if sample_weight is None else np.asarray(sample_weight, np.float64)
    y = y.astype(np.float64)
    penalty = 1.0 / C

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = X @ w + b
        # log(1 + e^z) - y z, computed stably
        value = np.sum(s * (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z))
        residual = s * (expit(z) - y)
        gap = w - centre
        grad = np.append(X.T @ residual + penalty * gap, residual.sum())
        return value + 0.5 * penalty * gap @ gap, grad

    start = np.append(centre, intercept)
    result = minimize(loss, start, jac=True, method="L-BFGS-B",
                      options={"maxiter": max_iter})
    return result.x[:-1].copy(), float(result.x[-1])


def fit_offset_intercept(offset: np.ndarray, y: np.ndarray, iterations: int = 50) -> float:
    """Return the shift ``δ`` maximising the likelihood of ``y`` under ``σ(offset + δ)``.

    Newton's method on one parameter; refitting only the intercept recalibrates a scorer
    without changing the order of its scores.
    """
    y = y.astype(np.float64)
    delta = 0.0
    for _ in range(iterations):
        p = expit(offset + delta)
        curvature = float(np.sum(p * (1.0 - p)))
        if curvature <= 1e-12:
            break
        step = float(np.sum(y - p)) / curvature
        delta += float(np.clip(step, -5.0, 5.0))
        if abs(step) < 1e-9:
            break
    return delta
