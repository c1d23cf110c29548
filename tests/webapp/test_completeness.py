"""Profile completeness hints (webapp/services/completeness.py): a pure function of the values."""

from __future__ import annotations

import pytest

from tests.factories import payload
from webapp.catalogue.notices import HINTS, render_hint
from webapp.services.completeness import completeness, profile_hints


@pytest.mark.parametrize("kind", ["sme", "mentor", "buyer"])
def test_a_full_profile_has_no_hint(kind):
    values = {"kind": kind, "description": "Something", **payload(kind)}
    assert profile_hints(values) == [] and completeness(values) == 100


def test_hints_name_what_is_missing_most_useful_first():
    values = {"kind": "sme", **payload("sme"), "sectors": [], "markets": [], "needs_text": " ",
              "contact_email": None, "contact_phone": None}
    assert profile_hints(values) == ["add_sectors", "add_markets", "add_needs_text",
                                     "add_contact"]
    assert 0 < completeness(values) < 100


def test_mentor_and_buyer_hints():
    assert "add_expertise" in profile_hints({"kind": "mentor", **payload("mentor"),
                                              "expertise": []})
    assert "add_sourcing_countries" in profile_hints({"kind": "buyer", **payload("buyer"),
                                                       "sourcing_countries": []})


def test_every_hint_reads_in_three_languages():
    for code in HINTS:
        texts = {render_hint(code, loc) for loc in ("en", "es", "fr")}
        assert len(texts) == 3, code
    assert render_hint("add_markets", "es") == "Indique a qué mercados apunta o cuáles conoce."
