"""Smoke test of scripts/bench_matcher.py: it runs end to end and prints its table.

The benchmark's figures are not asserted here (performance is measured by the benchmark, not
by timed tests).
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_runs_on_a_tiny_candidate_set():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_matcher.py"), "--sizes", "1500",
         "--queries", "60", "--nn-queries", "3", "--fit-sample", "500"],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    lines = completed.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| candidates"))
    assert "top-10 p50 (ms)" in header and "sklearn NN p50 (ms)" in header
    assert any(line.startswith("| 1,500 (") for line in lines)
