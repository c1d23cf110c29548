"""The start-up benchmark, run tiny on SQLite: every way of starting answers matches, each
worker's memory is read, and a stopped worker's replacement is timed."""

from __future__ import annotations

from scripts.bench_startup import main, report


def test_each_start_up_is_timed_and_measured():
    figures = main(["--sqlite", "--mentors", "60", "--smes", "10", "--buyers", "10",
                    "--workers", "2", "--only", "snapshot", "preload"])
    assert list(figures["results"]) == ["snapshot", "preload"]
    assert figures["snapshot_bytes"] > 0
    for row in figures["results"].values():
        assert 0 < row["first_s"] <= row["every_worker_s"] and row["restart_s"] > 0
        assert len(row["workers"]) == 2
        assert all(0 < w["uss"] <= w["pss"] <= w["rss"] for w in row["workers"])
    text = report(figures)
    assert "workers map the snapshot" in text and "USS MB" in text
