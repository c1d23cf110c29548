"""Deactivating an account closes its profile's open requests, both ways, in the same
transaction (services/staff.py): nobody can accept a request of an account that can never sign
in, nor wait for one that can never answer. Its accepted introductions stay as they are."""

from __future__ import annotations

import pytest

from models import Introduction, Profile, db
from tests.factories import csrf_token, login
from tests.intro_factories import act, audit_actions, make_party, outbox, request_intro
from webapp.services.notifications import deliver_pending


@pytest.fixture
def deactivate(app, make_user):
    make_user("admin", email="root@example.test")
    admin = app.test_client()
    login(admin, "root@example.test")

    def run(party) -> None:
        response = admin.post(f"/users/{party.user_id}/deactivate",
                              data={"csrf_token": csrf_token(admin, "/users")})
        assert response.status_code == 302
        db.session.expire_all()

    return run


def kinds_told(client, party) -> list[tuple[str, int]]:
    items = client.get("/api/v1/notifications", headers=party.headers).get_json()["items"]
    return [(n["kind"], n["introduction_id"]) for n in items]


def test_a_request_the_deactivated_account_made_can_no_longer_be_accepted(client, as_role,
                                                                          deactivate):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    deactivate(sme)
    response = act(client, mentor, intro_id, "accept")
    assert response.status_code == 409
    body = client.get(f"/api/v1/introductions/{intro_id}", headers=mentor.headers).get_json()
    assert body["state"] == "withdrawn" and "contact_email" not in body["requester"]
    # told as a withdrawal tells; the request's mail, still waiting, is withdrawn with it
    assert kinds_told(client, mentor) == [("withdrawn", intro_id), ("requested", intro_id)]
    assert outbox(mentor.user_id) == []
    assert "introduction.withdraw" in audit_actions(intro_id)


def test_a_request_to_the_deactivated_account_is_closed_and_its_requester_told(
        client, as_role, deactivate):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor",
                                                                 name="Mentora Ida")
    intro_id = request_intro(client, sme, mentor)["id"]
    assert deliver_pending().delivered == 1  # the mentor was mailed the request
    deactivate(mentor)
    body = client.get(f"/api/v1/introductions/{intro_id}", headers=sme.headers).get_json()
    assert (body["state"], body["decline_reason_code"]) == ("withdrawn", "party_left")
    assert kinds_told(client, sme) == [("party_left", intro_id)]
    mail = [m for m in outbox(sme.user_id)]
    assert [(m.template, m.introduction_id) for m in mail] == [("party_left", intro_id)]
    assert "Mentora Ida" in mail[0].subject + mail[0].body
    # the requester may ask someone else: the request no longer counts among its open ones
    assert client.get("/api/v1/introductions?state=requested",
                      headers=sme.headers).get_json()["items"] == []


def test_a_deactivated_mentors_accepted_introductions_and_capacity_stay(client, as_role,
                                                                        deactivate):
    mentor = make_party(client, as_role, "mentor")
    first, second = make_party(client, as_role, "sme"), make_party(client, as_role, "sme")
    accepted = request_intro(client, first, mentor)["id"]
    assert act(client, mentor, accepted, "accept").status_code == 200
    waiting = request_intro(client, second, mentor)["id"]
    made = request_intro(client, mentor, make_party(client, as_role, "sme"))["id"]
    deactivate(mentor)
    states = {i.id: i.state for i in db.session.scalars(db.select(Introduction))}
    assert states == {accepted: "accepted", waiting: "withdrawn", made: "withdrawn"}
    assert db.session.get(Profile, mentor.id).active_count == 1  # nothing released wrongly
    assert kinds_told(client, first) == [("accepted", accepted)]


def test_deactivating_twice_tells_no_one_twice(client, as_role, deactivate):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    deactivate(mentor)
    deactivate(mentor)
    assert kinds_told(client, sme) == [("party_left", intro_id)]
