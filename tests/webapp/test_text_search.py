"""The search's pattern: case and accents ignored, everything else typed found literally."""

from __future__ import annotations

import re

import pytest

from webapp.text_search import row_matches, search_pattern


@pytest.mark.parametrize(("typed", "stored"), [
    ("queretaro", "Santiago de Querétaro"), ("QUERÉTARO", "querétaro"),
    ("Logistica", "LOGÍSTICA"), ("montreal", "Montréal"), ("cote", "Côte-Nord"),
    ("nino", "Niño"), ("NIÑO", "nino"), ("ÇA", "ça"), ("oaxaca", "OAXACA"),
    ("que\u0301retaro", "Querétaro"), ("Quere\u0301taro", "QUERETARO"),
])
def test_case_and_accents_are_ignored(typed, stored):
    assert row_matches(search_pattern(typed), None, stored)


@pytest.mark.parametrize(("typed", "stored"), [
    ("a.b", "axb"), ("50%", "500"), ("acero_", "aceroX"), ("x*", "y"), ("(a|b)", "a"),
    ("[ab]", "a"), ("a\\d", "a1"), ("^moldes", "moldes"), ("nino", "nina"),
])
def test_other_characters_are_found_only_as_typed(typed, stored):
    pattern = search_pattern(typed)
    assert not row_matches(pattern, stored)
    assert row_matches(pattern, f"before {typed} after")


def test_the_pattern_is_only_literals_and_classes():
    """Nothing typed becomes an operator: no repetition, alternation or anchor."""
    pattern = search_pattern("(a+)*|^$ {2} .?")
    assert re.fullmatch(r"(?:\[[^\]]+\]|\\.|\w)+", pattern), pattern
