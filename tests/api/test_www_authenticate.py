"""A 401 says how to authenticate (RFC 9110 §15.5.2: a 401 carries WWW-Authenticate)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer pte_not-a-token"}])
def test_an_anonymous_call_is_told_to_send_a_bearer_token(client, headers):
    response = client.get("/api/v1/smes", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_wrong_credentials_for_a_token_are_a_401_with_the_challenge(client, make_user):
    make_user("sme", email="who@example.com")
    response = client.post("/api/v1/auth/tokens",
                           json={"email": "who@example.com", "password": "wrong password!"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
