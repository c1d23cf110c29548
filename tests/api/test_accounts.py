"""API tokens and /me."""

from __future__ import annotations

import pytest

from models import ApiToken, db
from tests.factories import row_counts


def test_token_for_good_credentials_works_as_bearer(client, make_user):
    user = make_user("mentor", email="Mentor@Example.test")
    response = client.post("/api/v1/auth/tokens",
                           json={"email": " mentor@example.test ".strip(),
                                 "password": "correct horse battery", "name": "laptop"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("pte_") and body["name"] == "laptop"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["email"] == user.email == "mentor@example.test"
    assert me.get_json()["role"] == "mentor"


def test_tokens_are_stored_hashed(client, make_user):
    make_user("sme", email="a@example.test")
    secret = client.post("/api/v1/auth/tokens", json={
        "email": "a@example.test", "password": "correct horse battery"}).get_json()["token"]
    stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert stored and secret not in stored and all(len(h) == 64 for h in stored)


@pytest.mark.parametrize("body", [
    {"email": "a@example.test", "password": "wrong password"},
    {"email": "nobody@example.test", "password": "correct horse battery"},
])
def test_bad_credentials_are_refused(client, make_user, body):
    make_user("sme", email="a@example.test")
    before = row_counts()
    response = client.post("/api/v1/auth/tokens", json=body)
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Wrong e-mail address or password."
    assert row_counts() == before


@pytest.mark.parametrize("body, field", [
    ({"password": "x"}, "email"), ({"email": "a@example.test"}, "password"),
    ({"email": "a@example.test", "password": "x", "admin": True}, "admin"),
])
def test_token_request_validation(client, body, field):
    response = client.post("/api/v1/auth/tokens", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_list_and_revoke_tokens(client, make_user, token_for):
    user = make_user("sme")
    headers = token_for(user)
    other = token_for(user)
    items = client.get("/api/v1/auth/tokens", headers=headers).get_json()["items"]
    assert len(items) == 2 and "token" not in items[0] and "token_hash" not in items[0]
    doomed = items[0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{doomed}", headers=headers).status_code == 204
    still = [h for h in (headers, other)
             if client.get("/api/v1/me", headers=h).status_code == 200]
    assert len(still) == 1


def test_cannot_revoke_someone_elses_token(client, make_user, token_for):
    mine = token_for(make_user("sme"))
    theirs_user = make_user("sme")
    token_for(theirs_user)
    their_id = db.session.scalar(db.select(ApiToken.id).where(ApiToken.user_id == theirs_user.id))
    assert client.delete(f"/api/v1/auth/tokens/{their_id}", headers=mine).status_code == 404
    assert db.session.get(ApiToken, their_id) is not None


def test_inactive_user_token_stops_working(client, make_user, token_for):
    user = make_user("sme")
    headers = token_for(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
