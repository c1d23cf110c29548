"""The duplicate and stuffing measurement, run small: the defences remove copies from the top 5s
and show a stuffed profile less, change no honest ranking, and the report prints each figure."""

from __future__ import annotations

import re

import pytest

from scripts.measure_duplicates import main, measure, parse_args

SMALL = ["--smes", "60", "--mentors", "16", "--buyers", "4", "--seed", "5", "--bases", "3"]


@pytest.fixture(scope="module")
def figures():
    return measure(parse_args(SMALL))


def test_a_copy_of_the_most_shown_mentor_is_shown_beside_it_only_without_the_defences(figures):
    assert figures["copy"][False] > 0
    assert figures["copy"][True] == 0


def test_a_stuffed_profile_loses_its_lead(figures):
    stuffed = figures["stuffed"]
    assert stuffed[True][0] < stuffed[False][0]
    assert stuffed[True][1] >= stuffed[False][1]  # never a better place among the mentors
    assert all(base[True][0] <= base[False][0] for base in figures["bases"])


def test_honest_rankings_do_not_change(figures):
    assert figures["changed"] == 0


def test_the_report_prints_before_and_after(capsys):
    assert main(SMALL) == 0
    out = capsys.readouterr().out
    assert re.search(r"its copy \| \d+ \| 0 \|", out)
    assert re.search(r"\| (\d+) \(place (\d+)\) \| (\d+) \(place (\d+)\) \|", out)
    assert "0 of 60 top 5s change" in out or re.search(r"0 of \d+ top 5s change", out)
