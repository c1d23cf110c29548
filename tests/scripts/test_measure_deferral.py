"""Smoke test of scripts/measure_deferral.py: it prints the shortlist's size with location
deferred and with text as well. Sizes are bounded by the rows, and deferring a second factor
can only widen the bound, so its shortlist is never the smaller."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_prints_both_shortlists_and_the_text_bound():
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "measure_deferral.py"), "--candidates", "5000",
         "--queries", "20"], capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    head, bound, location, both = completed.stdout.splitlines()
    rows = int(re.match(r"([\d,]+) mentors, 20 SME queries, top 10", head)[1].replace(",", ""))
    best_bound, best_reached = map(float, re.findall(r"p50 (\d\.\d{3})", bound))
    assert 0 < best_reached <= best_bound <= 1
    sizes = [int(re.search(r"p50\s+([\d,]+)", line)[1].replace(",", ""))
             for line in (location, both)]
    assert 10 <= sizes[0] <= sizes[1] <= rows
