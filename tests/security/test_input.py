"""Robust input: oversized, non-UTF-8, deeply nested and hostile bodies are answered 4xx with
the error envelope and change nothing; hostile text is stored as text and shown escaped."""

import pytest

from tests.factories import payload, row_counts


@pytest.fixture
def coordinator(as_role):
    return as_role("coordinator")[1]


def assert_refused(response, before):
    assert 400 <= response.status_code < 500
    assert response.get_json()["error"]["message"]
    assert row_counts() == before


def test_oversized_body_is_413(client, coordinator):
    before = row_counts()
    response = client.post("/api/v1/smes", data=b'{"name": "' + b"x" * 2_000_000 + b'"}',
                           headers={**coordinator, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert_refused(response, before)


def test_non_utf8_body_is_400(client, coordinator):
    before = row_counts()
    response = client.post("/api/v1/smes", data=b'{"name": "\xff\xfe"}',
                           headers={**coordinator, "Content-Type": "application/json"})
    assert_refused(response, before)


def test_deeply_nested_json_is_refused(client, coordinator):
    before = row_counts()
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/smes", data=body,
                           headers={**coordinator, "Content-Type": "application/json"})
    assert_refused(response, before)


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "'; DROP TABLE profiles; --",
                                  "\" onmouseover=\"alert(1)"])
def test_hostile_text_is_stored_verbatim_and_shown_escaped(client, as_role, text):
    user, headers = as_role("sme")
    created = client.post("/api/v1/smes", json=payload("sme", name=text, description=text),
                          headers=headers).get_json()
    assert created["name"] == text
    assert client.get(f"/api/v1/smes/{created['id']}", headers=headers).get_json()[
        "description"] == text
    from tests.factories import login

    login(client, user.email)
    html = client.get(f"/profiles/{created['id']}").get_data(as_text=True)
    assert text not in html or "<" not in text and '"' not in text
    assert "<script>alert(1)</script>" not in html
