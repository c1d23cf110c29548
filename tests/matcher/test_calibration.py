"""Tests of matcher.calibration: reliability tables and calibration error."""

import numpy as np
import pytest

from matcher.calibration import calibration_error, reliability_table


def test_reliability_table_sets_predicted_beside_observed_per_bin():
    p = np.array([0.05, 0.05, 0.35, 0.35, 0.35, 0.35, 1.0])
    y = np.array([0, 0, 1, 1, 1, 0, 1])
    table = reliability_table(p, y)
    assert [(row["low"], row["n"]) for row in table] == [(0.0, 2), (0.3, 4), (0.9, 1)]
    assert table[1]["predicted"] == pytest.approx(0.35)
    assert table[1]["observed"] == pytest.approx(0.75)
    assert calibration_error(table) == pytest.approx((2 * 0.05 + 4 * 0.4 + 0) / 7)


def test_a_calibrated_model_has_a_small_error():
    rng = np.random.default_rng(0)
    p = rng.random(20000)
    y = (rng.random(20000) < p).astype(int)
    assert calibration_error(reliability_table(p, y)) < 0.02
    assert calibration_error(reliability_table(np.clip(p - 0.3, 0, 1), y)) > 0.2
