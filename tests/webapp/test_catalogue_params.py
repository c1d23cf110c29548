"""Tests of webapp.catalogue.params and text: locales and how parameters are worded."""

import pytest

from webapp.catalogue.params import worded
from webapp.catalogue.text import locale_of


@pytest.mark.parametrize(("given", "expected"), [
    ("en", "en"), ("es-MX", "es"), ("fr_CA", "fr"), ("FR", "fr"), ("de", "en"), ("", "en"),
])
def test_locale_of(given, expected):
    assert locale_of(given) == expected


def test_lists_are_joined_with_the_locale_conjunction():
    params = {"markets": ["US", "CA", "MX"]}
    assert worded(params, "en")["markets"] == (
        "United States, Canada and Mexico")
    assert worded(params, "es")["markets"].endswith(" y México")
    assert worded(params, "fr")["markets"].endswith(" et Mexique")


def test_distances_are_grouped_per_locale():
    assert worded({"km": 1234}, "en")["km"] == "1,234"
    assert worded({"km": 1234}, "fr")["km"] == "1\u00a0234"
