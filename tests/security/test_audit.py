"""The audit log of sign-in events and authorisation failures, written through real requests
(webapp/services/audit.py, webapp/errors.py): who did what to which object — and never an
e-mail address or a password in the details."""

from __future__ import annotations

import pytest

from models import AuditEntry, Profile, db
from tests.conftest import PASSWORD
from tests.factories import COLLECTION, csrf_token, login, payload

NEW_PASSWORD = "tamales de elote 1987"


def entries(action: str) -> list[tuple]:
    """Return ``(actor_id, object_type, object_id, details)`` of the entries of an action."""
    db.session.expire_all()
    return [(e.actor_id, e.object_type, e.object_id, e.details) for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def make_profile(client, headers, kind="sme") -> int:
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_web_and_api_logins_are_recorded(app, client, make_user):
    user = make_user("sme")
    login(client, user.email)
    app.test_client().post("/api/v1/auth/tokens",
                           json={"email": user.email, "password": PASSWORD})
    assert entries("auth.login") == [(user.id, "user", user.id, {"via": "web"}),
                                     (user.id, "user", user.id, {"via": "api"})]
    [(actor, kind, _, details)] = entries("token.create")
    assert (actor, kind, details) == (user.id, "api_token", {})


@pytest.mark.parametrize("who, reason", [("owner", "bad_password"), ("nobody", "unknown_email"),
                                         ("inactive", "inactive")])
def test_failed_logins_are_recorded_with_their_reason(client, make_user, who, reason):
    user = make_user("sme")
    user.active = who != "inactive"
    db.session.commit()
    email = "nobody@example.test" if who == "nobody" else user.email
    password = PASSWORD if who == "inactive" else "wrong horse battery"
    assert login(client, email, password).status_code == 422
    client.post("/api/v1/auth/tokens", json={"email": email, "password": password})
    object_id = None if who == "nobody" else user.id
    assert entries("auth.login_failed") == [
        (None, "user", object_id, {"reason": reason, "via": "web"}),
        (None, "user", object_id, {"reason": reason, "via": "api"})]
    assert entries("auth.login") == []


def test_logout_is_recorded(client, make_user):
    user = make_user("sme")
    login(client, user.email)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert entries("auth.logout") == [(user.id, "user", user.id, {})]


def test_password_change_in_the_page_is_recorded(client, make_user, token_for):
    user = make_user("sme")
    token_for(user)
    login(client, user.email)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert entries("auth.password_change") == [(user.id, "user", user.id,
                                                {"tokens_revoked": 1})]


def test_refused_password_change_is_not_recorded_as_a_change(client, make_user, token_for):
    headers = token_for(make_user("sme"))
    client.post("/api/v1/me/password", headers=headers, json={
        "current_password": "wrong horse battery", "new_password": NEW_PASSWORD})
    assert entries("auth.password_change") == []


def test_tokens_issued_and_revoked_are_recorded(client, make_user):
    user = make_user("sme")
    login(client, user.email)
    client.post("/account/tokens", data={"name": "ERP", "csrf_token": csrf_token(
        client, "/account")})
    [(actor, kind, token_id, _)] = entries("token.create")
    assert (actor, kind) == (user.id, "api_token")
    client.post(f"/account/tokens/{token_id}/revoke",
                data={"csrf_token": csrf_token(client, "/account")})
    assert entries("token.revoke") == [(user.id, "api_token", token_id, {})]


def test_account_deletion_is_recorded_without_an_actor(client, as_role):
    user, headers = as_role("sme")
    user_id = user.id
    assert client.delete("/api/v1/me", headers=headers,
                         json={"password": "correct horse battery"}).status_code == 204
    assert entries("user.delete") == [(None, "user", user_id, {})]


def test_a_refused_api_call_is_recorded_and_nothing_else_stays(client, as_role):
    _, owner = as_role("sme")
    profile_id = make_profile(client, owner)
    intruder, headers = as_role("sme")
    response = client.patch(f"/api/v1/smes/{profile_id}", json={"name": "Hijacked"},
                            headers=headers)
    assert response.status_code == 403
    assert entries("access.denied") == [(intruder.id, "profile", profile_id, {
        "endpoint": "smes.Item", "method": "PATCH"})]
    assert db.session.get(Profile, profile_id).name == payload("sme")["name"]


def test_a_refused_role_is_recorded(client, as_role):
    sme, headers = as_role("sme")
    assert client.get("/api/v1/metrics", headers=headers).status_code == 403
    assert entries("access.denied") == [(sme.id, "endpoint", None, {
        "endpoint": "metrics.Metrics", "method": "GET"})]


def test_a_refused_page_is_recorded(client, make_user, as_role):
    _, owner = as_role("sme")
    profile_id = make_profile(client, owner)
    intruder = make_user("sme")
    login(client, intruder.email)
    assert client.get(f"/profiles/{profile_id}/edit").status_code == 403
    assert entries("access.denied") == [(intruder.id, "profile", profile_id, {
        "endpoint": "ui.edit_profile", "method": "GET"})]


def test_anonymous_refusals_are_not_recorded(client):
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/account").status_code == 302
    assert entries("access.denied") == []
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0


def test_no_email_or_password_in_any_audit_details(client, make_user, token_for):
    user = make_user("sme")
    login(client, "nobody@example.test", "some wrong password")
    login(client, user.email, "wrong horse battery")
    login(client, user.email)
    client.post("/api/v1/me/password", headers=token_for(user), json={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    client.get("/api/v1/metrics", headers=token_for(user))
    db.session.expire_all()
    details = repr([e.details for e in db.session.scalars(db.select(AuditEntry))])
    assert len(db.session.scalars(db.select(AuditEntry)).all()) >= 6
    for secret in (user.email, "nobody@example.test", "example.test", PASSWORD, NEW_PASSWORD,
                   "some wrong password", "wrong horse battery", "127.0.0.1"):
        assert secret not in details


def test_an_audit_write_the_database_refuses_never_raises(app, caplog):
    from webapp.services.audit import record_now

    assert record_now("access.denied", "endpoint", None, actor_id=999_999) is False
    assert "Could not write the audit entry access.denied" in caplog.text
    assert entries("access.denied") == []


def test_a_refusal_a_page_answers_with_a_message_is_recorded_too(client, as_role):
    from tests.intro_factories import make_party, request_intro

    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    from models import User

    login(client, db.session.get(User, sme.user_id).email)
    response = client.post(f"/introductions/{intro['id']}/accept",
                           data={"csrf_token": csrf_token(client, "/introductions")})
    assert response.status_code == 302  # back to the inbox, with the refusal as a message
    assert entries("access.denied") == [(sme.user_id, "introduction", intro["id"], {
        "endpoint": "ui.introduction_action", "method": "POST"})]


# -- reading the log (admins) ----------------------------------------------------------------

def test_admins_read_the_log_newest_first_filtered_and_paged(app, client, make_user,
                                                             token_for):
    sme = make_user("sme")
    browser = app.test_client()  # signs in as the SME; the admin reads with a token
    login(browser, sme.email)
    login(browser, sme.email, password="wrong password")
    admin = token_for(make_user("admin"))
    everything = client.get("/api/v1/audit?per_page=100", headers=admin).get_json()
    ids = [e["id"] for e in everything["items"]]
    assert ids == sorted(ids, reverse=True) and everything["total"] == len(ids)
    auth = client.get(f"/api/v1/audit?action=auth.&object_id={sme.id}&object_type=user",
                      headers=admin).get_json()
    assert [e["action"] for e in auth["items"]] == ["auth.login_failed", "auth.login"]
    assert auth["items"][0]["details"]["reason"] == "bad_password"
    first = client.get("/api/v1/audit?action=auth.&per_page=1", headers=admin).get_json()
    second = client.get("/api/v1/audit?action=auth.&per_page=1&page=2", headers=admin).get_json()
    assert first["total"] == second["total"] >= 2
    assert first["items"][0]["id"] > second["items"][0]["id"]
    exact = client.get("/api/v1/audit?action=auth.login", headers=admin).get_json()
    assert {e["action"] for e in exact["items"]} == {"auth.login"}


def audit_trail(client, admin: dict, object_type: str, object_id: int) -> list[str]:
    """Return the actions of an object's audit trail, oldest first, as an admin reads it."""
    page = client.get(f"/api/v1/audit?object_type={object_type}&object_id={object_id}",
                      headers=admin).get_json()
    return [e["action"] for e in reversed(page["items"])]


def test_an_account_made_after_the_newest_is_deleted_has_a_trail_of_its_own(
        app, client, make_user, token_for):
    admin = token_for(make_user("admin"))
    gone = make_user("sme")
    gone_id = gone.id
    login(app.test_client(), gone.email)
    assert client.delete("/api/v1/me", headers=token_for(gone),
                         json={"password": PASSWORD}).status_code == 204
    newcomer = make_user("sme")  # SQLite once gave it the deleted account's (largest) id
    assert audit_trail(client, admin, "user", newcomer.id) == ["user.create"]
    assert audit_trail(client, admin, "user", gone_id) == ["user.create", "auth.login",
                                                           "user.delete"]


def test_a_profile_made_after_the_newest_is_deleted_has_a_trail_of_its_own(
        client, as_role, token_for, make_user):
    admin = token_for(make_user("admin"))
    _, headers = as_role("sme")
    gone_id = make_profile(client, headers)
    assert client.delete(f"/api/v1/smes/{gone_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/smes/{gone_id}", headers=headers).status_code == 404
    new_id = make_profile(client, headers)
    assert audit_trail(client, admin, "sme", new_id) == ["profile.create"]
    assert audit_trail(client, admin, "sme", gone_id) == ["profile.create", "profile.delete"]


@pytest.mark.parametrize("role, status", [("coordinator", 403), ("sme", 403)])
def test_only_admins_read_the_log(client, as_role, role, status):
    _, headers = as_role(role)
    assert client.get("/api/v1/audit", headers=headers).status_code == status
    assert client.get("/api/v1/audit").status_code == 401


@pytest.mark.parametrize("query, field", [
    ("per_page=1000", "per_page"), ("page=0", "page"), ("from=2026-02-01&to=2026-01-01", "to"),
    ("action=" + "x" * 41, "action"), ("actor_id=abc", "actor_id"), ("colour=red", "colour"),
    ("to=9999-12-31", "to"), ("from=2101-01-01", "from"),
])
def test_bad_log_filters_are_422(client, as_role, query, field):
    _, admin = as_role("admin")
    response = client.get(f"/api/v1/audit?{query}", headers=admin)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
