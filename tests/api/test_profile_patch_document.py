"""The OpenAPI document of a profile PATCH says what a PATCH does with a field left out."""

from __future__ import annotations

import pytest

from tests.factories import COLLECTION, payload

KINDS = ("sme", "mentor", "buyer")


@pytest.mark.parametrize("kind", KINDS)
def test_a_patch_schema_documents_no_default(client, kind):
    """A field a PATCH leaves out keeps its stored value: a ``default`` in the PATCH body's
    schema would tell clients it is reset to that value."""
    spec = client.get("/api/v1/openapi.json").get_json()
    name = {"sme": "SmePatch", "mentor": "MentorPatch", "buyer": "BuyerPatch"}[kind]
    properties = spec["components"]["schemas"][name]["properties"]
    assert {field: p["default"] for field, p in properties.items() if "default" in p} == {}
    full = spec["components"]["schemas"][name.removesuffix("Patch")]["properties"]
    assert full["active"]["default"] is True  # creating one does use the defaults


def test_a_patch_leaving_a_defaulted_field_out_keeps_it(client, as_role):
    _, headers = as_role("coordinator")
    created = client.post(f"/api/v1/{COLLECTION['mentor']}", headers=headers,
                          json=payload("mentor", capacity=7, mode="virtual")).get_json()
    patched = client.patch(f"/api/v1/mentors/{created['id']}", json={"name": "Renamed"},
                           headers=headers).get_json()
    assert (patched["capacity"], patched["mode"]) == (7, "virtual")
