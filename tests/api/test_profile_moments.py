"""A mentor's ``available_until``: a moment with its time zone, stored as that moment."""

from __future__ import annotations

import pytest

from tests.factories import payload, row_counts


@pytest.fixture
def mentor(client, as_role):
    _, headers = as_role("coordinator")
    response = client.post("/api/v1/mentors", json=payload("mentor"), headers=headers)
    assert response.status_code == 201, response.get_json()
    return f"/api/v1/mentors/{response.get_json()['id']}", headers


def test_available_until_keeps_the_moment_given_with_an_offset(client, mentor):
    url, headers = mentor
    response = client.patch(url, json={"available_until": "2031-01-01T00:00:00-06:00"},
                            headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["available_until"] == "2031-01-01T06:00:00+00:00"
    assert client.get(url, headers=headers).get_json()["available_until"] == \
        "2031-01-01T06:00:00+00:00"


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                    "2101-01-01T00:00:00Z", "1999-12-31T23:59:59Z"])
def test_available_until_out_of_the_calendar_is_refused_naming_it(client, mentor, moment):
    url, headers = mentor
    before = row_counts()
    response = client.patch(url, json={"available_until": moment}, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert list(error["fields"]) == ["available_until"]
    assert error["fields"]["available_until"][0]["code"] == "date_out_of_range"
    assert row_counts() == before
    read = client.get(url, headers=headers)
    assert read.status_code == 200 and read.get_json()["available_until"] is None
