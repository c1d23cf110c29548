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
    lines = completed.stdout.splitlines()
    bounds, (first, *steps) = lines[:3], lines[3:]
    assert re.match(r"  bound per pattern +\d+\.\d{3} ms a ranking", bounds[0])
    assert re.match(r"  bound every factor gathered +\d+\.\d{3} ms a ranking", bounds[1])
    assert re.match(r"  ratio per pattern / every factor gathered: \d+\.\d{3}$", bounds[2])
    assert re.match(r"[\d,]+ mentors, 20 SME queries, top 10: \d+\.\d{3} ms a ranking", first)
    timed = {line.split()[0]: float(line.split()[1]) for line in steps}
    # 5,000 rows: sectors and languages by pattern, location on a shortlist only.
    assert {"factor_parts", "sparse_dot", "_sector", "_language", "_discrete_factors",
            "_reachable", "location_factor", "_matches"} <= set(timed)
    assert all(value > 0 for value in timed.values())
