"""The search benchmark (``scripts/bench_search.py``), run tiny on a throw-away SQLite file:
it prints both ways' times, and the new way finds what only an accent or a capital hid."""

from __future__ import annotations

from scripts.bench_search import WORDS, main


def test_it_times_both_ways_and_the_new_one_finds_more(capsys):
    result = main(["--mentors", "300", "--rounds", "1"])
    out = capsys.readouterr().out
    assert "sqlite, 300 mentors" in out
    assert set(result) == set(WORDS)
    for word, row in result.items():
        assert row["old_ms"] > 0 and row["new_ms"] > 0
        assert row["new_found"] >= row["old_found"], word
    assert result["zzzz"]["new_found"] == 0
    # the generated mentors write "Montréal": typed without its accent, only the new way finds it
    assert result["MONTREAL"]["new_found"] > result["MONTREAL"]["old_found"]
