"""The metrics benchmark runs end to end and prints its three figures."""

from scripts.bench_metrics import main


def test_bench_metrics_reports_its_figures(capsys):
    assert main(["--introductions", "300", "--smes", "60", "--mentors", "15", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Program metrics over 300 introductions" in out
    for step in ("program_metrics", "as rows", "baseline: reading them as ORM objects"):
        assert step in out
