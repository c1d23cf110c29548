"""The time zone of a place (matcher/taxonomy/timezones.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from matcher.taxonomy import PROGRAM_COUNTRIES, subdivisions
from matcher.taxonomy.timezones import COUNTRY_ZONES, SUBDIVISION_ZONES, zone_of_place


@pytest.mark.parametrize("country", PROGRAM_COUNTRIES)
def test_every_subdivision_of_the_program_countries_has_a_real_zone(country):
    codes = {s["code"] for s in subdivisions(country)}
    assert codes <= set(SUBDIVISION_ZONES)
    for code in codes:
        assert ZoneInfo(SUBDIVISION_ZONES[code]).key == SUBDIVISION_ZONES[code]
    assert ZoneInfo(COUNTRY_ZONES[country])


@pytest.mark.parametrize(("country", "subdivision", "zone"), [
    ("MX", "MX-JAL", "America/Mexico_City"), ("MX", "MX-BCN", "America/Tijuana"),
    ("MX", "MX-SON", "America/Hermosillo"), ("MX", "MX-ROO", "America/Cancun"),
    ("US", "US-AZ", "America/Phoenix"), ("US", "US-TX", "America/Chicago"),
    ("US", "US-HI", "Pacific/Honolulu"), ("CA", "CA-SK", "America/Regina"),
    ("CA", "CA-NL", "America/St_Johns"), ("CA", "CA-QC", "America/Toronto"),
    ("MX", None, "America/Mexico_City"), ("CA", "", "America/Toronto"),
    ("US", "XX-YY", "America/New_York"), ("FR", None, "UTC"), (None, None, "UTC"),
])
def test_zone_of_a_place(country, subdivision, zone):
    assert zone_of_place(country, subdivision) == zone
