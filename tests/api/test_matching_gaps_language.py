"""Mentorship requires a shared language by default in both directions (issue 3)."""

from __future__ import annotations

import pytest

from tests.factories import payload as full_payload

from .test_matches import create, matches, names


def payload(kind: str, **changes) -> dict:
    """A valid payload without contact details (only an owner sets those; staff create)."""
    body = full_payload(kind, **changes)
    return {name: value for name, value in body.items() if not name.startswith("contact_")}


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


def test_a_mentor_is_not_shown_french_only_smes_unless_it_asks(client, coordinator):
    mentor = create(client, coordinator, "mentor", payload("mentor", languages=["es", "en"]))
    create(client, coordinator, "sme", payload("sme", name="Fromagerie Laval", country="CA",
                                               subdivision="CA-QC", city="Laval",
                                               languages=["fr"]))
    create(client, coordinator, "sme", payload("sme", name="Autopartes del Norte"))
    shown = names(matches(client, coordinator, "mentor", mentor, "kind=sme"))
    assert shown == ["Autopartes del Norte"]
    relaxed = names(matches(client, coordinator, "mentor", mentor,
                            "kind=sme&language_required=false"))
    assert sorted(relaxed) == ["Autopartes del Norte", "Fromagerie Laval"]
    required = names(matches(client, coordinator, "mentor", mentor,
                             "kind=sme&language_required=true"))
    assert required == ["Autopartes del Norte"]


def test_a_buyer_still_sees_smes_it_shares_no_language_with(client, coordinator):
    buyer = create(client, coordinator, "buyer", payload("buyer", languages=["en"]))
    create(client, coordinator, "sme", payload("sme", name="Autopartes del Norte",
                                               languages=["es"]))
    assert names(matches(client, coordinator, "buyer", buyer, "kind=sme")) == [
        "Autopartes del Norte"]
