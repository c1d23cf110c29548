"""Coordinates: a refused latitude or longitude is named for its own problem only."""

from __future__ import annotations

import pytest

from tests.factories import payload, row_counts


@pytest.mark.parametrize(("coordinates", "field", "code"), [
    ({"latitude": 90.5, "longitude": -106.4}, "latitude", "out_of_range"),
    ({"latitude": 31.7, "longitude": "-106.4"}, "longitude", "not_number"),
    ({"latitude": True, "longitude": -106.4}, "latitude", "not_number"),
])
def test_a_bad_coordinate_sent_with_the_other_is_not_told_to_come_with_it(
        client, as_role, coordinates, field, code):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/smes", json=payload("sme", **coordinates), headers=headers)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert list(fields) == [field]
    assert [problem["code"] for problem in fields[field]] == [code]
    assert row_counts() == before


def test_a_coordinate_without_the_other_is_told_to_come_with_it(client, as_role):
    _, headers = as_role("coordinator")
    response = client.post("/api/v1/smes", json=payload("sme", latitude=31.7), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"longitude": [{
        "code": "coordinates_together", "message": "Give latitude and longitude together.",
        "params": {}}]}


def test_a_patch_of_one_coordinate_is_told_to_send_both(client, as_role):
    _, headers = as_role("coordinator")
    created = client.post("/api/v1/smes", json=payload("sme"), headers=headers).get_json()
    before = row_counts()
    response = client.patch(f"/api/v1/smes/{created['id']}", json={"latitude": 31.0},
                            headers=headers)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["longitude"]
    assert row_counts() == before
