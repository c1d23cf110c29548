"""Smoke test of scripts/time_ranking_steps.py: it ranks and prints each step's time.

The figures are not asserted (performance is measured by the scripts, not by timed tests); the
steps a ranking of a large segment takes are.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_prints_the_steps_a_large_segments_ranking_takes():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "time_ranking_steps.py"), "--candidates", "5000",
         "--queries", "20"], capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    first, *steps = completed.stdout.splitlines()
    assert re.match(r"[\d,]+ mentors, 20 SME queries, top 10: \d+\.\d{3} ms a ranking", first)
    timed = {line.split()[0]: float(line.split()[1]) for line in steps}
    # 5,000 rows: sectors and languages by pattern, location on a shortlist only.
    assert {"compute_factors", "sparse_dot", "_sector", "_language", "_discrete_factors",
            "_reachable", "location_factor", "_matches"} <= set(timed)
    assert all(value > 0 for value in timed.values())
