"""The admins' Users page: invite staff by e-mail, deactivate accounts, see last sign-ins."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from models import AuditEntry, OutboxMessage, User, db
from tests.factories import csrf_token, login, row_counts

NEW = "a brand new passphrase"


@pytest.fixture
def admin_client(app, make_user):
    admin = make_user("admin", email="root@example.test")
    client = app.test_client()
    login(client, "root@example.test")
    return client, admin


def invite(client, email="coord@example.test", role="coordinator", locale="es"):
    return client.post("/users/invite", data={"email": email, "role": role, "locale": locale,
                                              "csrf_token": csrf_token(client, "/users")})


def invitation_path() -> str:
    message = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.template == "invitation")).one()
    return re.search(r"http://127\.0\.0\.1:5000(/invitation/\S+)", message.body).group(1)


def actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_an_invited_coordinator_sets_a_password_and_signs_in(app, admin_client):
    client, admin = admin_client
    response = invite(client)
    assert response.status_code == 302
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.locale == "es" and message.subject == "Le invitan a Puente como coordinador"
    page = client.get("/users").get_data(as_text=True)
    assert "coord@example.test" in page and "Invited" in page
    invitee = app.test_client()
    assert login(invitee, "coord@example.test", "").status_code == 422  # no password yet
    path = invitation_path()
    page = invitee.get(path)
    assert '<html lang="es">' in page.get_data(as_text=True)  # the language chosen for it
    form = {"new_password": NEW, "new_password_again": NEW,
            "csrf_token": csrf_token(invitee, path)}
    assert invitee.post(path, data=form).headers["Location"] == "/login"
    assert invitee.post(path, data=form).status_code == 400  # the link works once
    assert login(invitee, "coord@example.test", NEW).status_code == 302
    assert invitee.get("/dashboard").status_code == 200
    user = db.session.scalar(db.select(User).where(User.email == "coord@example.test"))
    assert (user.role, user.is_verified) == ("coordinator", True)
    assert user.last_login_at is not None
    assert "Never" not in client.get("/users").get_data(as_text=True).split(
        "coord@example.test")[1].split("</tr>")[0]
    assert {"user.invite", "user.invitation_accepted"} <= set(actions())


@pytest.mark.parametrize("email, role, field", [
    ("root@example.test", "coordinator", "email"),  # registered already
    ("x@example.test", "sme", "role"),  # only staff are invited here
    ("not an address", "admin", "email"),
])
def test_a_refused_invitation_is_shown_next_to_its_field(admin_client, email, role, field):
    client, _ = admin_client
    before = row_counts()
    response = invite(client, email, role)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html
    assert row_counts() == before


def test_deactivating_ends_sessions_and_tokens_and_sign_ins(app, admin_client, make_user,
                                                            token_for):
    client, admin = admin_client
    mentor = make_user("mentor", email="m@example.test")
    headers = token_for(mentor)
    theirs = app.test_client()
    login(theirs, "m@example.test")
    response = client.post(f"/users/{mentor.id}/deactivate",
                           data={"csrf_token": csrf_token(client, "/users")})
    assert response.status_code == 302
    assert theirs.get("/account").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert login(app.test_client(), "m@example.test").status_code == 422
    assert "user.deactivate" in actions()
    assert "Deactivated" in client.get("/users").get_data(as_text=True)


def test_an_admin_cannot_deactivate_itself(admin_client):
    client, admin = admin_client
    response = client.post(f"/users/{admin.id}/deactivate",
                           data={"csrf_token": csrf_token(client, "/users")})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_unknown_account_is_404(admin_client):
    client, _ = admin_client
    assert client.post("/users/99999/deactivate",
                       data={"csrf_token": csrf_token(client, "/users")}).status_code == 404


def test_only_admins_see_the_page_and_its_entry(app, make_user):
    make_user("coordinator", email="c@example.test")
    client = app.test_client()
    login(client, "c@example.test")
    assert client.get("/users").status_code == 403
    assert 'href="/users"' not in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("lang, shown", [("en", "Mar 5, 2026, 2:30:00\u202fPM UTC"),
                                         ("fr", "5 mars 2026, 14 h 30 min 00 s UTC"),
                                         ("es", "5 mar 2026, 2:30:00\u202fp.m. UTC")])
def test_last_sign_in_times_name_their_zone(admin_client, lang, shown):
    """Staff pages have no place to take a zone from: their times are UTC and say so, or a
    coordinator in Monterrey would read 14:30 as their own afternoon."""
    client, admin = admin_client
    admin.last_login_at = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    db.session.commit()
    page = client.get(f"/users?lang={lang}").get_data(as_text=True)
    assert shown in page


def test_a_deactivated_accounts_profile_is_shown_to_nobody_and_cannot_be_asked(
        app, admin_client, as_role):
    """A deactivated account can never answer: its profile leaves the lists, profile pages and
    rankings of others (the rule for an unverified one), and nobody can request it."""
    from tests.intro_factories import make_party
    client, _ = admin_client
    api = app.test_client()
    sme, mentor = make_party(api, as_role, "sme"), make_party(api, as_role, "mentor")
    shown = api.get(f"/api/v1/mentors/{mentor.id}/matches?kind=sme&language_required=false",
                    headers=mentor.headers).get_json()["matches"]
    assert sme.id in {m["profile"]["id"] for m in shown}
    assert client.post(f"/users/{sme.user_id}/deactivate", data={
        "csrf_token": csrf_token(client, "/users")}).status_code == 302
    shown = api.get(f"/api/v1/mentors/{mentor.id}/matches?kind=sme&language_required=false",
                    headers=mentor.headers).get_json()["matches"]
    assert sme.id not in {m["profile"]["id"] for m in shown}
    listed = api.get("/api/v1/smes", headers=mentor.headers).get_json()["items"]
    assert sme.id not in {p["id"] for p in listed}
    assert api.get(f"/api/v1/smes/{sme.id}", headers=mentor.headers).status_code == 404
    _, staff = as_role("coordinator")
    before = row_counts()
    response = api.post("/api/v1/introductions", headers=mentor.headers,
                        json={"requester_id": mentor.id, "target_id": sme.id})
    assert response.status_code == 422
    assert "target_id" in response.get_json()["error"]["fields"]
    after = row_counts()
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before
    # staff still read it (to manage the program), as an unverified one, but cannot name it
    assert client.get(f"/api/v1/smes/{sme.id}").status_code == 200
    response = api.post("/api/v1/introductions", headers=staff,
                        json={"requester_id": mentor.id, "target_id": sme.id})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "target_unavailable"
    after = row_counts()
    after.pop("audit_log")
    assert after == before
