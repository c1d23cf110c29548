"""API writes take JSON only: another body is 415, an empty PATCH is 422; nothing is written."""

from __future__ import annotations

import pytest

from tests.factories import payload, row_counts


@pytest.fixture
def sme(client, as_role):
    """Return the URL and the headers of a coordinator's new SME profile."""
    _, headers = as_role("coordinator")
    response = client.post("/api/v1/smes", json=payload("sme"), headers=headers)
    return f"/api/v1/smes/{response.get_json()['id']}", headers


@pytest.mark.parametrize("content_type, body", [
    ("text/plain", '{"name": "Plain"}'),
    ("application/x-www-form-urlencoded", "name=Form"),
    ("application/json", '{"name": '),
    (None, '{"name": "No type"}'),
])
def test_a_patch_whose_body_is_not_json_is_415(client, sme, content_type, body):
    url, headers = sme
    before = row_counts()
    extra = {"Content-Type": content_type} if content_type else {}
    response = client.patch(url, data=body, headers={**headers, **extra})
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] in ("unsupported_media_type", "invalid_json")
    assert client.get(url, headers=headers).get_json()["name"] == payload("sme")["name"]
    assert row_counts() == before


def test_a_post_whose_body_is_not_json_is_415(client, as_role):
    _, headers = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/smes", data="name=Form", headers={
        **headers, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert row_counts() == before


@pytest.mark.parametrize("body", [{}, None])
def test_an_empty_patch_is_422(client, sme, body):
    url, headers = sme
    before = row_counts()
    response = client.patch(url, json=body, headers=headers) if body is not None else \
        client.patch(url, headers={**headers, "Content-Type": "text/plain"})
    assert response.status_code == 422
    assert "body" in response.get_json()["error"]["fields"]
    assert client.get(url, headers=headers).headers["ETag"] == '"1"'
    assert row_counts() == before
