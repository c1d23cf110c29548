"""E-mail verification: an unverified account edits its profile, but nobody else sees it
(lists, profile pages, rankings, cohorts) and it cannot request introductions."""

from __future__ import annotations

import re

import pytest

from models import OutboxMessage, User, db
from tests.factories import csrf_token, login, row_counts
from tests.intro_factories import make_party, outbox

BASE = "http://127.0.0.1:5000"


@pytest.fixture
def party(client, as_role):
    return lambda kind, **kw: make_party(client, as_role, kind, **kw)


def unverify(user_id: int) -> None:
    db.session.get(User, user_id).email_verified_at = None
    db.session.commit()


def verify_path(user_id: int) -> str:
    """Return the verification link of the last message to the user, as its reader sees it."""
    body = outbox(user_id)[-1].body
    return re.search(BASE + r"(/verify/\S+)", body).group(1)


def shown_to(client, mentor) -> tuple[set[int], set[int]]:
    """Return the SMEs in the mentor's matches, and in the list of SMEs it reads."""
    matches = client.get(f"/api/v1/mentors/{mentor.id}/matches?kind=sme"
                         "&language_required=false", headers=mentor.headers)
    listed = client.get("/api/v1/smes", headers=mentor.headers).get_json()["items"]
    return ({m["profile"]["id"] for m in matches.get_json()["matches"]},
            {p["id"] for p in listed})


def test_sign_up_sends_a_link_that_verifies_the_address(client):
    client.post("/signup", data={"role": "sme", "email": "new@example.test", "locale": "fr",
                                 "password": "a long passphrase", "csrf_token": csrf_token(
                                     client, "/signup")})
    user = db.session.scalar(db.select(User).where(User.email == "new@example.test"))
    assert user.email_verified_at is None
    [welcome] = outbox(user.id)
    assert welcome.locale == "fr" and "confirmez" in welcome.body.lower()
    login(client, "new@example.test", "a long passphrase")
    assert client.get("/api/v1/me").get_json()["email_verified"] is False
    assert "Envoyer le lien de nouveau" in client.get("/account").get_data(as_text=True)
    response = client.get(verify_path(user.id))
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert client.get("/api/v1/me").get_json()["email_verified"] is True
    assert client.get(verify_path(user.id)).status_code == 302  # a second use is harmless


def test_an_unverified_profile_is_hidden_from_others_until_verified(client, party, make_user):
    sme, mentor = party("sme"), party("mentor")
    unverify(sme.user_id)
    # another SME, not a copy (the ranking collapses near-duplicate candidates)
    seen = party("sme", needs=["financing"], description="Fundición de piezas de aluminio.")
    assert shown_to(client, mentor) == ({seen.id}, {seen.id})
    assert client.get(f"/api/v1/smes/{sme.id}", headers=mentor.headers).status_code == 404
    assert client.get(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 200
    patched = client.patch(f"/api/v1/smes/{sme.id}", json={"name": "Still editable"},
                           headers={**sme.headers, "If-Match": client.get(
                               f"/api/v1/smes/{sme.id}", headers=sme.headers).headers["ETag"]})
    assert patched.status_code == 200
    from webapp.services.accounts import verify_url
    path = verify_url(sme.user_id, db.session.get(User, sme.user_id).email).removeprefix(BASE)
    assert client.get(path).status_code == 302
    assert shown_to(client, mentor) == ({seen.id, sme.id}, {seen.id, sme.id})
    assert client.get(f"/api/v1/smes/{sme.id}", headers=mentor.headers).status_code == 200


def test_an_unverified_account_cannot_request_introductions(client, party):
    sme, mentor = party("sme"), party("mentor")
    unverify(sme.user_id)
    before = row_counts()
    response = client.post("/api/v1/introductions", headers=sme.headers,
                           json={"requester_id": sme.id, "target_id": mentor.id})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "email_not_verified"
    after = row_counts()
    assert after.pop("audit_log") >= before.pop("audit_log")  # the refusal is audited
    assert after == before


def test_staff_cohorts_leave_unverified_profiles_out(client, party, as_role):
    sme, seen, mentor = party("sme"), party("sme"), party("mentor", capacity=5)
    unverify(sme.user_id)
    _, staff = as_role("coordinator")
    proposal = client.post("/api/v1/cohorts", headers=staff, json={
        "smes": {"filter": {"country": "MX"}}, "mentors": {"ids": [mentor.id]}})
    assert proposal.status_code == 201, proposal.get_json()
    assert {p["sme_id"] for p in proposal.get_json()["result"]["pairs"]} == {seen.id}


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1IjoxfQ.forged.sig"])
def test_a_forged_link_is_refused(client, token):
    response = client.get(f"/verify/{token}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_resending_sends_the_link_again_only_while_unverified(client, make_user):
    user = make_user("buyer", email="b@example.test")
    login(client, "b@example.test")
    send = lambda: client.post("/account/verification",  # noqa: E731
                               data={"csrf_token": csrf_token(client, "/account")})
    assert send().status_code == 302 and outbox(user.id) == []
    unverify(user.id)
    assert send().status_code == 302
    assert [m.template for m in outbox(user.id)] == ["verify_email"]
    assert client.get(verify_path(user.id)).status_code == 302
    assert db.session.scalar(db.select(OutboxMessage).where(
        OutboxMessage.to_address == "b@example.test")).template == "verify_email"


@pytest.mark.parametrize("unverified_side", ["target", "requester"])
def test_staff_cannot_introduce_a_profile_whose_owner_is_unverified(client, party, as_role,
                                                                     unverified_side):
    """An unverified account's profile is shown to nobody else, not as an introduction target
    either: staff, who may request on anyone's behalf, are refused too and nothing is written."""
    sme, mentor = party("sme"), party("mentor")
    unverify((mentor if unverified_side == "target" else sme).user_id)
    _, staff = as_role("coordinator")
    before = row_counts()
    response = client.post("/api/v1/introductions", headers=staff,
                           json={"requester_id": sme.id, "target_id": mentor.id})
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "party_unverified"
    hidden = mentor if unverified_side == "target" else sme
    assert error["params"]["id"] == hidden.id
    after = row_counts()
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before
    assert outbox(hidden.user_id) == [] or all(
        "introduc" not in m.subject.lower() for m in outbox(hidden.user_id))
