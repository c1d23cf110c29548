"""Privacy rights: export everything held about me; delete my account; sessions end."""

from models import ApiToken, AuditEntry, MatchImpression, Profile, User, db
from tests.factories import COLLECTION, csrf_token, login, payload, row_counts


def make_profile(client, headers, kind="sme", **changes):
    response = client.post(f"/api/v1/{COLLECTION[kind]}", json=payload(kind, **changes),
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_export_holds_account_profile_tokens_and_audit(client, as_role):
    user, headers = as_role("sme")
    profile_id = make_profile(client, headers)
    data = client.get("/api/v1/me/export", headers=headers).get_json()
    assert data["account"]["email"] == user.email
    assert data["profile"]["id"] == profile_id
    assert data["profile"]["contact_email"] == payload("sme")["contact_email"]
    assert len(data["api_tokens"]) == 1 and "token_hash" not in data["api_tokens"][0]
    assert {"user.create", "profile.create"} <= {e["action"] for e in data["audit"]}


def test_export_holds_the_rankings_i_was_shown_and_deletion_unlinks_them(client, as_role):
    sme_user, sme = as_role("sme")
    sme_id = make_profile(client, sme)
    _, mentor = as_role("mentor")
    mentor_id = make_profile(client, mentor, "mentor")
    _, coordinator = as_role("coordinator")
    assert client.get(f"/api/v1/smes/{sme_id}/matches", headers=sme).status_code == 200
    assert client.get(f"/api/v1/mentors/{mentor_id}/matches", headers=mentor).status_code == 200
    data = client.get("/api/v1/me/export", headers=sme).get_json()
    assert [(r["kind"], r["shown_profile_ids"]) for r in data["rankings_shown_to_you"]] == [
        ("sme_mentor", [mentor_id])]
    assert data["times_you_were_shown"] == 1  # in the mentor's ranking
    before = client.get("/api/v1/metrics", headers=coordinator).get_json()["exposure"]
    assert client.delete("/api/v1/me", headers=sme,
                         json={"password": "correct horse battery"}).status_code == 204
    db.session.expire_all()
    assert not db.session.scalar(db.select(db.func.count()).select_from(MatchImpression).where(
        (MatchImpression.requester_id == sme_id) | (MatchImpression.shown_id == sme_id)))
    after = client.get("/api/v1/metrics", headers=coordinator).get_json()["exposure"]
    assert after["impressions"] == before["impressions"] == 2
    assert after["by_sme_country"]["MX"]["impressions"] == 1


def test_export_needs_authentication(client):
    assert client.get("/api/v1/me/export").status_code == 401


def test_deleting_the_account_anonymises_the_profile_and_ends_tokens(client, as_role):
    user, headers = as_role("sme")
    profile_id = make_profile(client, headers)
    _, coordinator = as_role("coordinator")
    user_id = user.id
    assert client.delete("/api/v1/me", headers=headers,
                         json={"password": "correct horse battery"}).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user_id)) is None
    profile = db.session.get(Profile, profile_id)
    assert profile.name == "(deleted profile)" and profile.contact_email is None
    assert profile.active is False and profile.user_id is None
    assert not db.session.scalar(db.select(AuditEntry).where(AuditEntry.actor_id == user_id))
    page = client.get("/api/v1/smes?active=false", headers=coordinator).get_json()
    assert page["items"][0]["name"] == "(deleted profile)"


def test_logout_ends_copies_of_the_session_cookie(app, make_user):
    user = make_user("sme")
    browser = app.test_client()
    login(browser, user.email)
    stolen = app.test_client()
    stolen.set_cookie("session", browser.get_cookie("session").value)
    assert stolen.get("/api/v1/me").status_code == 200
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert stolen.get("/api/v1/me").status_code == 401


def test_export_holds_the_sign_in_events_and_refusals_about_me(app, client, as_role):
    user, headers = as_role("sme")
    login(app.test_client(), user.email)
    login(app.test_client(), user.email, "wrong horse battery")
    assert client.get("/api/v1/metrics", headers=headers).status_code == 403
    audit = client.get("/api/v1/me/export", headers=headers).get_json()["audit"]
    seen = {(e["action"], e["by_you"], tuple(sorted(e["details"].items()))) for e in audit}
    assert ("auth.login", True, (("via", "web"),)) in seen
    assert ("auth.login_failed", False, (("reason", "bad_password"), ("via", "web"))) in seen
    assert ("access.denied", True, (("endpoint", "metrics.Metrics"), ("method", "GET"))) in seen


def test_export_holds_nothing_about_other_users_sign_ins(app, client, as_role, make_user):
    _, headers = as_role("sme")
    other = make_user("sme")
    login(app.test_client(), other.email)
    login(app.test_client(), other.email, "wrong horse battery")
    actions = [e["action"] for e in
               client.get("/api/v1/me/export", headers=headers).get_json()["audit"]]
    assert "auth.login" not in actions and "auth.login_failed" not in actions


def test_export_tells_me_of_refused_attempts_on_my_profile(client, as_role):
    _, headers = as_role("sme")
    profile_id = make_profile(client, headers)
    intruder, intruder_headers = as_role("sme")
    assert client.patch(f"/api/v1/smes/{profile_id}", json={"name": "Hijacked"},
                        headers=intruder_headers).status_code == 403
    audit = client.get("/api/v1/me/export", headers=headers).get_json()["audit"]
    refused = [e for e in audit if e["action"] == "access.denied"]
    assert [(e["object_type"], e["object_id"], e["by_you"]) for e in refused] == [
        ("profile", profile_id, False)]
    assert str(intruder.id) not in repr(refused[0]["details"])


def test_deleting_an_account_withdraws_the_mail_still_waiting_about_it(app, client, as_role):
    """Issue 15 #1: queued messages carrying the deleted user's words are never delivered."""
    from tests.intro_factories import make_party, outbox, request_intro
    from webapp.services.notifications import deliver_pending

    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    request_intro(client, sme, mentor, message="Secret plans of Autopartes")
    assert [m.template for m in outbox(mentor.user_id)] == ["requested"]
    response = client.delete("/api/v1/me", headers=sme.headers,
                             json={"password": "correct horse battery"})
    assert response.status_code == 204
    db.session.expire_all()
    assert outbox() == []
    report = deliver_pending()
    assert report.delivered == 0


def test_deleting_an_account_keeps_none_of_its_words_in_mail_already_sent(client, as_role):
    """The mail delivered before the deletion quoted the user's name and request: the
    service's copy goes as the request's text does (the counterpart is told the request is
    withdrawn, naming a deleted profile)."""
    from tests.intro_factories import make_party, outbox, request_intro
    from webapp.services.notifications import deliver_pending

    sme = make_party(client, as_role, "sme", name="Autopartes Zamora")
    mentor = make_party(client, as_role, "mentor")
    request_intro(client, sme, mentor, message="Secret plans of Autopartes")
    assert deliver_pending().delivered == 1
    response = client.delete("/api/v1/me", headers=sme.headers,
                             json={"password": "correct horse battery"})
    assert response.status_code == 204
    db.session.expire_all()
    assert [m for m in outbox() if "Autopartes" in m.body + m.subject] == []
    assert [m.template for m in outbox(mentor.user_id)] == ["withdrawn"]


def test_retiring_a_profile_withdraws_the_mail_about_its_requests(client, as_role):
    from tests.intro_factories import make_party, outbox, request_intro

    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    request_intro(client, sme, mentor, message="Secret plans of Autopartes")
    _, staff = as_role("coordinator")
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=staff).status_code == 204
    db.session.expire_all()
    assert [m for m in outbox() if "Secret plans" in m.body] == []


def test_deleting_the_account_through_the_api_needs_the_password(client, as_role):
    """Issue 15 #2: a leaked token alone cannot delete the account."""
    user, headers = as_role("sme")
    profile_id = make_profile(client, headers)
    before = row_counts()
    for body in (None, {}, {"password": "wrong horse battery"}):
        response = client.delete("/api/v1/me", headers=headers, json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert "password" in response.get_json()["error"]["fields"]
    assert row_counts() == before
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.delete("/api/v1/me", headers=headers,
                         json={"password": "correct horse battery"}).status_code == 204
    db.session.expire_all()
    assert db.session.get(Profile, profile_id).user_id is None


def _account_with_id(user_id: int, role: str = "admin") -> User:
    """Store a new account under a given id, as SQLite hands out a deleted account's id
    again when it was the largest (PostgreSQL's sequences never do)."""
    from webapp.services.accounts import normalise_email

    db.session.expunge_all()  # the deleted account's object is still in the identity map
    user = User(id=user_id, email=normalise_email(f"next{user_id}@example.test"),
                password_hash="x", role=role, locale="en")
    db.session.add(user)
    db.session.commit()
    return user


def test_a_deleted_accounts_session_never_opens_an_account_given_its_id_again(
        app, make_user):
    user = make_user("sme")
    user_id = user.id
    browser = app.test_client()
    login(browser, user.email)
    stolen = app.test_client()
    stolen.set_cookie("session", browser.get_cookie("session").value)
    assert browser.delete("/api/v1/me", json={"password": "correct horse battery"},
                          headers={"X-CSRFToken": csrf_token(browser, "/")}).status_code == 204
    _account_with_id(user_id)
    for client in (browser, stolen):
        assert client.get("/api/v1/me").status_code == 401


def test_an_account_given_a_deleted_accounts_id_exports_nothing_of_it(app, client, make_user,
                                                                      token_for):
    user = make_user("sme")
    user_id = user.id
    login(app.test_client(), user.email)
    assert client.delete("/api/v1/me", headers=token_for(user),
                         json={"password": "correct horse battery"}).status_code == 204
    newcomer = _account_with_id(user_id, "sme")
    audit = client.get("/api/v1/me/export", headers=token_for(newcomer)).get_json()["audit"]
    assert [e["action"] for e in audit if e["action"] in ("auth.login", "user.delete")] == []
