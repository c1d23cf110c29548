"""The graded-learning harness, small: where accepted pairs differ in what they lead to,
learning from acceptance alone can rank away from the gain; learning from grades does not."""

from scripts.simulate_graded_learning import format_rows, simulate
from scripts.simulate_learning import build_program


def test_grades_keep_the_ranking_on_the_gain_that_acceptance_alone_loses():
    program = build_program(smes=120, mentors=50, seed=1)
    rows = simulate(program, ["goal_follows_needs"], [2000], trials=6, seed=1)
    [row] = rows
    assert row["binary_promoted"] >= 3  # acceptance follows language: learned, promoted ...
    assert row["binary_gain"] < row["champion"] - 0.3  # ... and goals are lost
    assert row["graded_gain"] > row["champion"]  # grades learn what leads to goals
    assert row["graded_gain"] > row["binary_gain"] + 0.4
    assert "| goal_follows_needs | 2,000 |" in format_rows(rows)
