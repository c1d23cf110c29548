"""API tokens, /me and the password change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from models import ApiToken, AuditEntry, db
from tests.conftest import PASSWORD
from tests.factories import csrf_token, login, row_counts
from webapp.services.transactions import write_transaction


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


@pytest.mark.parametrize("typed, kept", [(" laptop\t", "laptop"), ("   ", ""),
                                         ("\u200b", "")])
def test_a_token_name_is_kept_without_the_blanks_around_it(client, make_user, typed, kept):
    """As the account page keeps it: a name of nothing visible is no name (was stored as
    typed, a row of blanks in the token list)."""
    make_user("sme", email="a@example.test")
    response = client.post("/api/v1/auth/tokens", json={
        "email": "a@example.test", "password": "correct horse battery", "name": typed})
    assert response.status_code == 201 and response.get_json()["name"] == kept
    assert db.session.scalars(db.select(ApiToken.name)).all() == [kept]


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
    after = row_counts()
    assert after.pop("audit_log") == before.pop("audit_log") + 1  # the failed login, only
    assert after == before


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


NEW_PASSWORD = "tamales de elote 1987"


def change(client, headers, current=PASSWORD, new=NEW_PASSWORD, **extra):
    return client.post("/api/v1/me/password", headers=headers,
                       json={"current_password": current, "new_password": new, **extra})


def can_get_token(client, email, password) -> bool:
    response = client.post("/api/v1/auth/tokens", json={"email": email, "password": password})
    return response.status_code == 201


def test_password_change_revokes_every_token_and_takes_the_new_password(client, make_user,
                                                                       token_for):
    user = make_user("sme")
    headers, other = token_for(user), token_for(user)
    assert change(client, headers).status_code == 204
    for h in (headers, other):  # the token used for the call is revoked too
        assert client.get("/api/v1/me", headers=h).status_code == 401
    assert not can_get_token(client, user.email, PASSWORD)
    assert can_get_token(client, user.email, NEW_PASSWORD)


def test_password_change_ends_other_sessions_but_not_the_callers(app, make_user):
    user = make_user("sme")
    browser, elsewhere = app.test_client(), app.test_client()
    login(browser, user.email)
    login(elsewhere, user.email)
    response = browser.post("/api/v1/me/password",
                            headers={"X-CSRFToken": csrf_token(browser, "/account")},
                            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 204
    assert browser.get("/api/v1/me").status_code == 200
    assert elsewhere.get("/api/v1/me").status_code == 401


def test_password_change_over_the_session_needs_the_csrf_token(app, make_user):
    user = make_user("sme")
    browser = app.test_client()
    login(browser, user.email)
    response = browser.post("/api/v1/me/password", json={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert can_get_token(app.test_client(), user.email, PASSWORD)


@pytest.mark.parametrize("current, new, field", [
    ("wrong horse battery", NEW_PASSWORD, "current_password"),
    (PASSWORD, "short", "new_password"),
    (PASSWORD, "password123", "new_password"),
    (PASSWORD, PASSWORD, "new_password"),
    (PASSWORD, "x" * 201, "new_password"),
])
def test_refused_password_change_names_the_field_and_changes_nothing(client, make_user,
                                                                    token_for, current, new,
                                                                    field):
    user = make_user("sme")
    headers = token_for(user)
    before = row_counts()
    response = change(client, headers, current, new)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {field}
    assert row_counts() == before
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert can_get_token(client, user.email, PASSWORD)


def test_new_password_may_not_be_the_email_address(client, make_user, token_for):
    user = make_user("sme", email="tortilla.lover@example.test")
    response = change(client, token_for(user), new="tortilla.lover@example.test")
    assert response.get_json()["error"]["fields"]["new_password"] == [{
        "code": "password_is_email", "params": {},
        "message": "Do not use your e-mail address as your password."}]


def test_wrong_current_and_weak_new_password_are_both_named(client, make_user, token_for):
    response = change(client, token_for(make_user("sme")), "wrong horse battery", "12345678")
    assert set(response.get_json()["error"]["fields"]) == {"current_password", "new_password"}


@pytest.mark.parametrize("body, field", [
    ({"new_password": NEW_PASSWORD}, "current_password"),
    ({"current_password": PASSWORD}, "new_password"),
    ({"current_password": PASSWORD, "new_password": NEW_PASSWORD, "email": "x@y.z"}, "email"),
])
def test_password_change_body_is_validated(client, make_user, token_for, body, field):
    user = make_user("sme")
    response = client.post("/api/v1/me/password", json=body, headers=token_for(user))
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert can_get_token(client, user.email, PASSWORD)


def test_password_change_needs_authentication(client):
    response = change(client, {})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_password_change_is_documented_with_its_errors(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/me/password"]
    assert {"204", "401", "422", "429"} <= set(operation["post"]["responses"])
    assert "Retry-After" in operation["post"]["responses"]["429"]["headers"]


def test_password_change_is_audited_without_the_passwords(client, make_user, token_for):
    user = make_user("sme")
    token_for(user)
    change(client, token_for(user))
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "auth.password_change")).one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (user.id, "user", user.id)
    assert entry.details == {"tokens_revoked": 2}
    assert NEW_PASSWORD not in repr(entry.details) and PASSWORD not in repr(entry.details)


def _last_used(client, headers) -> list:
    items = client.get("/api/v1/auth/tokens", headers=headers).get_json()["items"]
    return [item["last_used_at"] for item in items]


def test_token_use_is_noted_at_most_once_a_minute(client, make_user, token_for):
    headers = token_for(make_user("mentor"))
    first = _last_used(client, headers)
    assert first[0] is not None  # the first use is noted
    for _ in range(3):
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert _last_used(client, headers) == first  # uses within a minute write nothing
    two_minutes_ago = datetime.now(UTC) - timedelta(minutes=2)
    with write_transaction():
        db.session.execute(update(ApiToken).values(last_used_at=two_minutes_ago))
    noted = _last_used(client, headers)[0]
    assert noted != first[0] and noted > two_minutes_ago.isoformat()[:19]


# -- a wrong password costs the same work whatever the address -------------------------------

@pytest.fixture
def argon2_work(monkeypatch) -> list[dict]:
    """Record the parameters of every argon2 verification actually computed (the real
    ``verify_secret`` runs: only its calls are noted)."""
    import argon2
    import argon2._password_hasher as hasher_module

    real = hasher_module.verify_secret
    done: list[dict] = []

    def noted(hash_: bytes, secret: bytes, type_) -> bool:
        params = argon2.extract_parameters(hash_.decode())
        done.append({"time_cost": params.time_cost, "memory_cost": params.memory_cost,
                     "parallelism": params.parallelism})
        return real(hash_, secret, type_)

    monkeypatch.setattr(hasher_module, "verify_secret", noted)
    return done


def sign_in_through(door: str, client, email: str, password: str) -> int:
    if door == "api":
        return client.post("/api/v1/auth/tokens",
                           json={"email": email, "password": password}).status_code
    return login(client, email, password).status_code


@pytest.mark.parametrize("door, refused", [("api", 401), ("page", 422)])
def test_a_wrong_password_costs_the_same_hashing_for_invited_unknown_and_registered_addresses(
        client, make_user, argon2_work, door, refused):
    # An invitation not accepted yet has no argon2 hash: refusing it without hashing answered
    # in 5 ms where the others took 150 ms, telling which addresses are invited staff.
    from webapp.services import staff

    make_user("sme", email="member@example.test")
    staff.invite(make_user("admin"), "invited@example.test", "coordinator")
    work = {}
    for email in ("member@example.test", "nobody@example.test", "invited@example.test"):
        argon2_work.clear()
        assert sign_in_through(door, client, email, "wrong horse battery") == refused
        work[email] = list(argon2_work)
    assert len(work["member@example.test"]) == 1
    assert work["invited@example.test"] == work["nobody@example.test"] == \
        work["member@example.test"]
