"""The cohort-proposal benchmark runs end to end and its reasons match explain_pair's."""

from scripts.bench_propose import main


def test_bench_propose_reports_its_figures(capsys):
    assert main(["--smes", "40", "--mentors", "10", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "| propose (whole use case) |" in out and "baseline: explain_pair" in out
    pairs = int(out.split("Reasons identical to explain_pair: ")[1].split(" of ")[1])
    assert pairs > 0 and f"{pairs} of {pairs}" in out
