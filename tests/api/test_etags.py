"""ETag and If-Match on profiles and introductions: a stale write is refused with 412."""

from __future__ import annotations

import pytest

from matcher import taxonomy as tx
from tests.factories import payload, row_counts
from tests.intro_factories import act, make_party, request_intro


@pytest.fixture
def sme(client, as_role):
    """Return the URL and the headers of a coordinator's new SME profile."""
    _, headers = as_role("coordinator")
    response = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    return f"/api/v1/smes/{response.get_json()['id']}", headers


def test_every_answer_with_a_profile_carries_its_version(client, sme):
    url, headers = sme
    assert client.get(url, headers=headers).headers["ETag"] == '"1"'
    patched = client.patch(url, json={"name": "Renamed"}, headers=headers)
    assert patched.headers["ETag"] == '"2"'
    assert client.get(url, headers=headers).headers["ETag"] == '"2"'


def test_a_patch_with_the_current_etag_applies(client, sme):
    url, headers = sme
    etag = client.get(url, headers=headers).headers["ETag"]
    response = client.patch(url, json={"name": "Renamed"}, headers={**headers, "If-Match": etag})
    assert response.status_code == 200
    assert response.get_json()["name"] == "Renamed"


# A header that does not parse as entity tags ('"1"x', a lone quote) names no current
# version either: it must not pass for "no If-Match" and overwrite.
@pytest.mark.parametrize("if_match", ['"1"', 'W/"2"', '"x"', '"1", "3"', '""', '"1"x', '"',
                                      "W/", '"1', "1 2"])
def test_a_patch_with_a_stale_etag_is_refused_and_changes_nothing(client, sme, if_match):
    url, headers = sme
    client.patch(url, json={"name": "Someone else's"}, headers=headers)  # now version 2
    before = row_counts()
    response = client.patch(url, json={"name": "Mine"}, headers={**headers,
                                                                 "If-Match": if_match})
    assert response.status_code == 412
    assert response.get_json()["error"]["code"] == "stale_version"
    assert client.get(url, headers=headers).get_json()["name"] == "Someone else's"
    assert row_counts() == before


@pytest.mark.parametrize("if_match", [None, "*", '"2", "1"'])
def test_a_patch_without_a_version_or_with_any_applies(client, sme, if_match):
    url, headers = sme
    client.patch(url, json={"name": "Someone else's"}, headers=headers)
    extra = {"If-Match": if_match} if if_match else {}
    response = client.patch(url, json={"name": "Mine"}, headers={**headers, **extra})
    assert response.status_code == 200
    assert response.get_json()["name"] == "Mine"


def test_a_delete_with_a_stale_etag_is_refused(client, sme):
    url, headers = sme
    client.patch(url, json={"name": "Renamed"}, headers=headers)
    assert client.delete(url, headers={**headers, "If-Match": '"1"'}).status_code == 412
    assert client.get(url, headers=headers).status_code == 200
    assert client.delete(url, headers={**headers, "If-Match": '"2"'}).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_a_patch_is_validated_with_the_stored_profile(client, sme):
    """The stored country and the patch's subdivision are checked together: a patch that
    would leave a US profile in Sonora is refused, and the profile stays editable."""
    url, headers = sme
    moved = client.patch(url, json={"country": "US", "subdivision": "US-TX",
                                    "city": "El Paso"}, headers=headers)
    assert moved.status_code == 200
    response = client.patch(url, json={"subdivision": "MX-SON", "city": "Hermosillo"},
                            headers=headers)
    assert response.status_code == 422
    assert "subdivision" in response.get_json()["error"]["fields"]
    stored = client.get(url, headers=headers).get_json()
    assert tx.is_subdivision(stored["subdivision"], stored["country"])
    assert client.patch(url, json={"description": "x"}, headers=headers).status_code == 200


def test_an_introduction_carries_its_version_and_a_move_changes_it(client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    url = f"/api/v1/introductions/{intro['id']}"
    first = client.get(url, headers=sme.headers).headers["ETag"]
    accepted = act(client, mentor, intro["id"], "accept")
    assert accepted.headers["ETag"] not in (None, first)
    assert client.get(url, headers=sme.headers).headers["ETag"] == accepted.headers["ETag"]
