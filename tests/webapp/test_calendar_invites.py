"""Time zones as a reader says them (webapp/services/calendar_invites.py): the zone's name in
the reader's language, never its IANA id."""

from __future__ import annotations

import pytest

from matcher.taxonomy.timezones import COUNTRY_ZONES, DEFAULT_ZONE, SUBDIVISION_ZONES
from webapp.services.calendar_invites import zone_words

ZONES = sorted({*SUBDIVISION_ZONES.values(), *COUNTRY_ZONES.values(), DEFAULT_ZONE})


@pytest.mark.parametrize(("zone", "locale", "said"), [
    ("America/Detroit", "en", "Eastern Time"),
    ("America/Detroit", "es", "hora oriental"),
    ("America/Detroit", "fr", "heure de l’Est"),
    ("America/Mexico_City", "es", "hora central"),
    ("America/Hermosillo", "fr", "heure du Pacifique mexicain"),
    ("Pacific/Honolulu", "es", "hora de Hawái"),
    ("America/Yellowknife", "fr", "heure des Rocheuses"),  # an alias of Edmonton's zone
    ("UTC", "en", "Coordinated Universal Time"),
    ("UTC", "es", "hora universal coordinada"),
    ("America/Chicago", None, "Central Time"),
])
def test_a_zone_is_named_in_the_readers_language(zone, locale, said):
    assert zone_words(zone, locale) == said


@pytest.mark.parametrize("locale", ["en", "es", "fr"])
def test_no_zone_of_a_place_is_shown_as_its_id_or_a_summer_time(locale):
    for zone in ZONES:
        said = zone_words(zone, locale)
        assert said and "/" not in said and "_" not in said, zone
        for wrong in ("Unknown", "desconocida", "inconnue", "verano", "avancée", "daylight"):
            assert wrong not in said, (zone, said)
