"""The HTTP benchmark, run tiny on SQLite: it seeds, starts both servers, loads every endpoint
with no errors and prints each next to the minimal app."""

from __future__ import annotations

import pytest

from scripts.bench_http import _duration_ms, main, report

TINY = ["--sqlite", "--mentors", "60", "--smes", "10", "--buyers", "10", "--seconds", "1",
        "--connections", "2", "--workers", "1"]


@pytest.fixture(scope="module")
def figures():
    return main([*TINY, "--client", "python"])


def test_every_endpoint_answers_under_load_without_errors(figures):
    names = [row["name"] for row in figures["results"]]
    assert names == ["match API, SME token", "match API, coordinator token",
                     "match API, SME token, 20 a page", "GET /api/v1/mentors (20 a page)",
                     "/matches page"]
    for row in [figures["baseline"], *figures["results"]]:
        assert row["requests"] > 0, row
        assert row["errors"] == 0, row
        assert 0 < row["p50_ms"] <= row["p99_ms"], row
        assert row["server_cpu_ms"] > 0 and row["database_cpu_ms"] == 0, row  # SQLite
    assert figures["profiles"] == 80 and figures["database"] == "sqlite"


def test_report_shows_each_endpoint_as_a_share_of_the_minimal_app(figures):
    text = report(figures)
    assert "vs minimal" in text and "100%" in text
    for row in figures["results"]:
        share = f"{row['rps'] / figures['baseline']['rps']:.0%}"
        assert any(line.startswith(row["name"]) and line.endswith(share)
                   for line in text.splitlines())


@pytest.mark.parametrize(("text", "ms"), [("850us", 0.85), ("12.5ms", 12.5), ("1.2s", 1200.0),
                                          ("1m", 60000.0)])
def test_wrk_durations_are_read_in_milliseconds(text, ms):
    assert _duration_ms(text) == pytest.approx(ms)
