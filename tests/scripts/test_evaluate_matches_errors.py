"""scripts/evaluate_matches.py refuses a file that is not a scenario file in plain words, as
`flask evaluate` does, and exits non-zero: never a Python error's repr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_A_SCENARIO_FILE = "The scenario file cannot be read, or is not a scenario file."


def evaluate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "evaluate_matches.py"),
                           str(path)], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("content", "expected"), [
    ('{"cases": []}', NOT_A_SCENARIO_FILE),  # JSON, but no "scenarios"
    ('{"scenarios": [{"id": "s1", "query": {}}]}', NOT_A_SCENARIO_FILE),  # no candidates
    ("not json", NOT_A_SCENARIO_FILE),
    ('{"scenarios": []}', "The scenario file holds no scenarios."),
    ('{"scenarios": [{"id": "s1", "query": {}, "candidates": []}]}',
     "Scenario s1 cannot be evaluated: its candidates must be of one kind and its ordered "
     "pairs must name them."),
])
def test_a_bad_scenario_file_is_refused_in_plain_words(tmp_path, content, expected):
    scenarios = tmp_path / "scenarios.json"
    scenarios.write_text(content, encoding="utf-8")
    done = evaluate(scenarios)
    assert done.returncode != 0
    assert done.stdout == ""
    assert expected in " ".join(done.stderr.split()), done.stderr
    assert str(scenarios) in done.stderr  # which file
    assert "Error(" not in done.stderr and "Traceback" not in done.stderr


def test_a_missing_file_is_refused_in_plain_words(tmp_path):
    done = evaluate(tmp_path / "missing.json")
    assert done.returncode != 0
    assert NOT_A_SCENARIO_FILE in done.stderr and "Errno" not in done.stderr
