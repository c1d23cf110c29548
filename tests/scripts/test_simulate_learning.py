"""The learning harness, small: coin flips are never promoted; a true rule that the priors
rank badly is promoted once there is enough data and raises the top-5 acceptance."""

from scripts.simulate_learning import build_program, format_rows, simulate


def test_coin_flips_are_never_promoted_and_a_true_rule_is():
    program = build_program(smes=120, mentors=50, seed=1)
    rows = simulate(program, ["coin", "proximity"], [20, 200, 1000], trials=3, seed=1)
    by = {(row["rule"], row["n"]): row for row in rows}
    assert [by["coin", n]["promoted"] for n in (20, 200, 1000)] == [0, 0, 0]
    assert by["coin", 1000]["top5_after"] == by["coin", 1000]["top5_before"]
    assert by["proximity", 20]["promoted"] == 0
    learned = by["proximity", 1000]
    assert learned["promoted"] == 3
    assert learned["top5_after"] > learned["top5_before"] + 0.05
    assert "| proximity | 1,000 | 3/3 |" in format_rows(rows)
