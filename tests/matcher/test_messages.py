"""Tests of matcher.messages: templates, locales and parameter wording."""

import pytest

from matcher import MatcherError
from matcher.messages import TEMPLATES, format_params, locale_of


@pytest.mark.parametrize(("given", "expected"), [
    ("en", "en"), ("es-MX", "es"), ("fr_CA", "fr"), ("FR", "fr"), ("de", "en"), ("", "en"),
])
def test_locale_of(given, expected):
    assert locale_of(given) == expected


def test_every_template_exists_in_three_locales():
    for code, templates in TEMPLATES.items():
        assert set(templates) == {"en", "es", "fr"}, code


def test_lists_are_joined_with_the_locale_conjunction():
    params = {"markets": ["US", "CA", "MX"]}
    assert format_params("knows_markets", params, "en")["markets"] == (
        "United States, Canada and Mexico")
    assert format_params("knows_markets", params, "es")["markets"].endswith(" y México")
    assert format_params("knows_markets", params, "fr")["markets"].endswith(" et Mexique")


def test_distances_are_grouped_per_locale():
    assert format_params("nearby", {"km": 1234}, "en")["km"] == "1,234"
    assert format_params("nearby", {"km": 1234}, "fr")["km"] == "1\u00a0234"


def test_unknown_codes_raise():
    with pytest.raises(MatcherError):
        format_params("no_such_reason", {}, "en")
