"""The introductions API: requests, answers, capacity, privacy, feedback, reviews, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import AuditEntry, Introduction, Profile, db, utcnow
from tests.factories import payload, row_counts
from tests.intro_factories import (
    Party,
    act,
    audit_actions,
    make_party,
    outbox,
    request_intro,
)

CONTACTS = ("contact_email", "contact_phone")


@pytest.fixture
def party(client, as_role):
    """Create a user with its own profile of a kind: ``party("mentor", capacity=2)``."""

    def make(kind: str, locale: str = "en", **changes) -> Party:
        return make_party(client, as_role, kind, locale, **changes)

    return make


def get(client, who: Party | dict, intro_id: int):
    headers = who.headers if isinstance(who, Party) else who
    return client.get(f"/api/v1/introductions/{intro_id}", headers=headers)


def stored(intro_id: int) -> Introduction:
    db.session.expire_all()
    return db.session.get(Introduction, intro_id)


def profile_row(profile_id: int) -> Profile:
    db.session.expire_all()
    return db.session.get(Profile, profile_id)


def make_overdue(intro_id: int, days: int = 17) -> None:
    """Move a request's creation back ``days`` (expiry is after 14), as if the sweep had not
    run yet."""
    intro = db.session.get(Introduction, intro_id)
    intro.created_at = intro.created_at - timedelta(days=days)
    db.session.commit()


# -- requesting ------------------------------------------------------------------------------

def test_request_stores_the_match_snapshot_and_tells_the_target(client, party):
    sme, mentor = party("sme"), party("mentor", locale="es")
    intro = request_intro(client, sme, mentor, message="Necesitamos IATF 16949")
    assert intro["state"] == "requested" and intro["kind"] == "sme_mentor"
    assert (intro["requester"]["id"], intro["target"]["id"]) == (sme.id, mentor.id)
    match = intro["match"]
    assert 0 <= match["score"] <= 1 and match["model_version"]
    assert {"language", "needs", "sector"} <= set(match["factors"])
    assert set(match["contributions"]) == set(match["factors"])
    assert all({"code", "params", "message"} <= set(r) for r in match["reasons"])
    row = stored(intro["id"])
    assert row.score == pytest.approx(match["score"])
    assert row.model_version == match["model_version"]
    assert row.match_snapshot["factors"] == match["factors"]
    [message] = outbox(mentor.user_id)
    assert message.template == "requested" and message.locale == "es"
    assert "solicita una presentación" in message.subject
    assert "Necesitamos IATF 16949" in message.body
    assert audit_actions(intro["id"]) == ["introduction.request"]


def test_the_snapshot_is_the_match_the_requester_was_shown(client, party):
    sme, mentor = party("sme"), party("mentor")
    shown = client.get(f"/api/v1/smes/{sme.id}/matches?kind=mentor&language_required=false",
                       headers=sme.headers).get_json()["matches"]
    [listed] = [m for m in shown if m["profile"]["id"] == mentor.id]
    match = request_intro(client, sme, mentor)["match"]
    assert match["score"] == pytest.approx(listed["score"], abs=1e-9)
    assert match["reasons"] == listed["reasons"] and match["reasons"]


def test_a_full_mentor_is_explained_all_the_same(client, party):
    from webapp.services.matching import explain_pair

    sme, full, free = party("sme"), party("mentor", capacity=0), party("mentor")
    explained = [explain_pair(profile_row(sme.id), profile_row(m.id)) for m in (full, free)]
    assert explained[0]["reasons"] and explained[0]["reasons"] == explained[1]["reasons"]
    assert explained[0]["score"] == explained[1]["score"]


def test_requester_defaults_to_the_callers_own_profile(client, party):
    sme, mentor = party("sme"), party("mentor")
    response = client.post("/api/v1/introductions", json={"target_id": mentor.id},
                           headers=sme.headers)
    assert response.status_code == 201
    assert response.get_json()["requester"]["id"] == sme.id


@pytest.mark.parametrize("requester_kind, target_kind, kind", [
    ("sme", "mentor", "sme_mentor"), ("sme", "buyer", "sme_buyer"),
    ("buyer", "sme", "buyer_sme"), ("mentor", "sme", "mentor_sme"),
])
def test_allowed_pairings(client, party, requester_kind, target_kind, kind):
    intro = request_intro(client, party(requester_kind), party(target_kind))
    assert intro["kind"] == kind and intro["match"]["score"] is not None


@pytest.mark.parametrize("requester_kind, target_kind", [
    ("sme", "sme"), ("mentor", "buyer"), ("buyer", "mentor"), ("mentor", "mentor"),
    ("buyer", "buyer"),
])
def test_other_pairings_are_refused_on_target_id(client, party, requester_kind, target_kind):
    requester, target = party(requester_kind), party(target_kind)
    before = row_counts()
    response = client.post("/api/v1/introductions", headers=requester.headers,
                           json={"requester_id": requester.id, "target_id": target.id})
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["target_id"]
    assert row_counts() == before


BAD_REQUESTS = [
    ("unknown field", {"urgent": True}, "urgent"),
    ("no target", {"target_id": None}, "target_id"),
    ("target id as text", {"target_id": "2"}, "target_id"),
    ("nonexistent target", {"target_id": 99999}, "target_id"),
    ("target id beyond any id", {"target_id": 2**40}, "target_id"),
    ("nonexistent requester", {"requester_id": 99999}, "requester_id"),
    ("message too long", {"message": "x" * 2001}, "message"),
]


@pytest.mark.parametrize("why, change, field", BAD_REQUESTS, ids=[b[0] for b in BAD_REQUESTS])
def test_bad_requests_name_the_field_and_write_nothing(client, party, why, change, field):
    sme, mentor = party("sme"), party("mentor")
    body = {"requester_id": sme.id, "target_id": mentor.id, **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = row_counts()
    response = client.post("/api/v1/introductions", json=body, headers=sme.headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_malformed_json_is_400(client, party):
    sme = party("sme")
    response = client.post("/api/v1/introductions", data="{nope",
                           headers={**sme.headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_only_the_owner_or_staff_request_for_a_profile(client, party, as_role):
    sme, other, mentor = party("sme"), party("sme"), party("mentor")
    response = client.post("/api/v1/introductions", headers=other.headers,
                           json={"requester_id": sme.id, "target_id": mentor.id})
    assert response.status_code == 403
    _, coordinator = as_role("coordinator")
    intro = request_intro(client, sme, mentor, headers=coordinator)
    assert intro["requester"]["id"] == sme.id


def test_staff_asking_for_a_members_profile_make_the_programs_introduction(client, party,
                                                                           as_role):
    """The member did not ask: it is told, as for a cohort's introduction, and may turn it
    down; the mentor's accept alone no longer reads as the member's own opt-in."""
    from tests.intro_factories import outbox

    sme, mentor = party("sme"), party("mentor")
    _, coordinator = as_role("coordinator")
    intro = request_intro(client, sme, mentor, headers=coordinator)
    assert intro["origin"] == "program" and intro["state"] == "requested"
    told = client.get("/api/v1/notifications", headers=sme.headers).get_json()["items"]
    assert [n["kind"] for n in told] == ["program_introduction"]
    assert [m.template for m in outbox(sme.user_id)] == ["program_introduced_requester"]
    assert [m.template for m in outbox(mentor.user_id)] == ["program_introduced_target"]
    assert act(client, sme, intro["id"], "withdraw").status_code == 200  # turned down
    own = request_intro(client, sme, mentor)  # the member's own request stays its own
    assert own["origin"] == "member"


def test_staff_must_say_which_profile_asks(client, party, as_role):
    _, coordinator = as_role("coordinator")
    mentor = party("mentor")
    response = client.post("/api/v1/introductions", json={"target_id": mentor.id},
                           headers=coordinator)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["requester_id"]


def test_one_open_introduction_per_pair_either_way(client, party):
    sme, mentor = party("sme"), party("mentor")
    first = request_intro(client, sme, mentor)
    again = client.post("/api/v1/introductions", headers=sme.headers,
                        json={"requester_id": sme.id, "target_id": mentor.id})
    assert again.status_code == 409
    assert str(first["id"]) in again.get_json()["error"]["message"]
    reverse = client.post("/api/v1/introductions", headers=mentor.headers,
                          json={"requester_id": mentor.id, "target_id": sme.id})
    assert reverse.status_code == 409
    act(client, mentor, first["id"], "decline", reason_code="timing")
    assert request_intro(client, sme, mentor)["state"] == "requested"


def test_at_most_n_unanswered_requests_per_requester(client, app, party):
    app.config["PUENTE_MAX_OPEN_REQUESTS"] = 2
    sme = party("sme")
    mentors = [party("mentor") for _ in range(3)]
    first = request_intro(client, sme, mentors[0])
    request_intro(client, sme, mentors[1])
    refused = client.post("/api/v1/introductions", headers=sme.headers,
                          json={"requester_id": sme.id, "target_id": mentors[2].id})
    assert refused.status_code == 409 and "(2)" in refused.get_json()["error"]["message"]
    assert act(client, sme, first["id"], "withdraw").status_code == 200
    request_intro(client, sme, mentors[2])


def test_overdue_requests_do_not_count_against_the_limit(client, app, party):
    app.config["PUENTE_MAX_OPEN_REQUESTS"] = 1
    sme = party("sme")
    mentors = [party("mentor") for _ in range(2)]
    first = request_intro(client, sme, mentors[0])
    refused = client.post("/api/v1/introductions", headers=sme.headers,
                          json={"requester_id": sme.id, "target_id": mentors[1].id})
    assert refused.status_code == 409
    make_overdue(first["id"])
    assert request_intro(client, sme, mentors[1])["state"] == "requested"


def test_a_pair_whose_request_is_past_its_expiry_may_ask_again(client, party):
    # The old request reads as expired everywhere (and the match card offers the request box
    # again): asking again expires it, as the sweep would, instead of a 409 naming it open.
    sme, mentor = party("sme"), party("mentor")
    first = request_intro(client, sme, mentor)
    make_overdue(first["id"])
    assert get(client, sme, first["id"]).get_json()["state"] == "expired"
    again = request_intro(client, sme, mentor)
    assert again["state"] == "requested" and again["id"] != first["id"]
    assert stored(first["id"]).state == "expired"
    assert "introduction.expire" in audit_actions(first["id"])
    assert [m.template for m in outbox(sme.user_id)] == ["expired_requester"]


def test_inactive_targets_are_unknown_to_non_staff(client, party):
    sme, mentor = party("sme"), party("mentor", active=False)
    response = client.post("/api/v1/introductions", headers=sme.headers,
                           json={"requester_id": sme.id, "target_id": mentor.id})
    assert response.status_code == 422
    assert "target_id" in response.get_json()["error"]["fields"]


# -- answering and the state machine ---------------------------------------------------------

def test_accept_then_complete(client, party):
    sme, mentor = party("sme"), party("mentor")
    intro = request_intro(client, sme, mentor)
    accepted = act(client, mentor, intro["id"], "accept")
    assert accepted.status_code == 200
    body = accepted.get_json()
    assert body["state"] == "accepted" and body["responded_at"] and body["expires_at"] is None
    assert profile_row(mentor.id).active_count == 1
    completed = act(client, sme, intro["id"], "complete")
    assert completed.status_code == 200 and completed.get_json()["state"] == "completed"
    assert profile_row(mentor.id).active_count == 0
    assert audit_actions(intro["id"]) == [
        "introduction.request", "introduction.accept", "introduction.reveal_contacts",
        "introduction.complete"]
    assert [m.template for m in outbox(sme.user_id)] == ["accepted"]
    assert [m.template for m in outbox(mentor.user_id)] == ["requested", "completed"]


def test_decline_with_a_reason_tells_the_requester_in_their_language(client, party):
    sme, mentor = party("sme", locale="fr"), party("mentor")
    intro = request_intro(client, sme, mentor)
    response = act(client, mentor, intro["id"], "decline", reason_code="language",
                   reason_text="Je ne parle pas espagnol.")
    body = response.get_json()
    assert response.status_code == 200 and body["state"] == "declined"
    assert (body["decline_reason_code"], body["decline_reason_text"]) == (
        "language", "Je ne parle pas espagnol.")
    [message] = outbox(sme.user_id)
    assert message.locale == "fr" and "a refusé" in message.subject
    assert "Pas de langue de travail commune" in message.body
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "introduction.decline")).one()
    assert entry.details == {"reason_code": "language"} and entry.actor_id == mentor.user_id


@pytest.mark.parametrize("body, field", [
    ({}, "reason_code"), ({"reason_code": "busy"}, "reason_code"),
    ({"reason_code": "other", "reason_text": "x" * 2001}, "reason_text"),
    ({"reason_code": "other", "why": "no"}, "why"),
])
def test_bad_declines_name_the_field(client, party, body, field):
    sme, mentor = party("sme"), party("mentor")
    intro = request_intro(client, sme, mentor)
    response = client.post(f"/api/v1/introductions/{intro['id']}/decline", json=body,
                           headers=mentor.headers)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert stored(intro["id"]).state == "requested"


def test_withdraw_tells_the_target(client, party):
    sme, mentor = party("sme"), party("mentor")
    intro = request_intro(client, sme, mentor)
    response = act(client, sme, intro["id"], "withdraw")
    assert response.status_code == 200 and response.get_json()["state"] == "withdrawn"
    assert [m.template for m in outbox(mentor.user_id)] == ["requested", "withdrawn"]


ILLEGAL = [
    ("withdraw", "accept", "withdrawn"),
    ("decline", "accept", "declined"),
    ("accept", "accept", "accepted"),
    ("accept", "withdraw", "accepted"),
    ("accept", "decline", "accepted"),
    ("none", "complete", "requested"),
    ("complete", "complete", "completed"),
    ("complete", "withdraw", "completed"),
]


@pytest.mark.parametrize("first, then, state", ILLEGAL, ids=[f"{a}-then-{b}" for a, b, _ in
                                                              ILLEGAL])
def test_illegal_transitions_are_409_with_a_clear_message(client, party, first, then, state):
    sme, mentor = party("sme"), party("mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    steps = {"withdraw": [(sme, "withdraw")], "decline": [(mentor, "decline")],
             "accept": [(mentor, "accept")], "none": [],
             "complete": [(mentor, "accept"), (sme, "complete")]}[first]
    for who, action in steps:
        body = {"reason_code": "other"} if action == "decline" else {}
        assert act(client, who, intro_id, action, **body).status_code == 200
    who = sme if then in ("withdraw", "complete") else mentor
    body = {"reason_code": "other"} if then == "decline" else {}
    before = row_counts()
    response = act(client, who, intro_id, then, **body)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "introduction_wrong_state" and f"is {state}" in error["message"]
    assert error["params"]["state"] == state
    assert row_counts() == before


@pytest.mark.parametrize("who, action", [("sme", "accept"), ("sme", "decline"),
                                         ("mentor", "withdraw")])
def test_only_the_right_side_answers(client, party, who, action):
    sme, mentor = party("sme"), party("mentor")
    intro = request_intro(client, sme, mentor)
    actor = {"sme": sme, "mentor": mentor}[who]
    body = {"reason_code": "other"} if action == "decline" else {}
    assert act(client, actor, intro["id"], action, **body).status_code == 403
    assert stored(intro["id"]).state == "requested"


@pytest.mark.parametrize("who, action", [("mentor", "accept"), ("mentor", "decline"),
                                         ("sme", "withdraw")])
def test_a_request_past_its_expiry_is_expired_when_answered(client, party, who, action):
    sme, mentor = party("sme"), party("mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    make_overdue(intro_id)
    body = {"reason_code": "other"} if action == "decline" else {}
    response = act(client, {"sme": sme, "mentor": mentor}[who], intro_id, action, **body)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "introduction_wrong_state" and error["params"]["state"] == "expired"
    assert get(client, sme, intro_id).get_json()["state"] == "expired"
    assert audit_actions(intro_id) == ["introduction.request", "introduction.expire"]
    assert [m.template for m in outbox(sme.user_id)] == ["expired_requester"]
    assert [m.template for m in outbox(mentor.user_id)] == ["requested", "expired_target"]
    row = profile_row(mentor.id)
    assert (row.active_count, row.requests_expired, row.requests_answered) == (0, 1, 0)


def test_a_request_past_its_expiry_reads_as_expired_before_the_sweep(client, party):
    sme, mentor = party("sme"), party("mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    fresh_id = request_intro(client, party("sme"), mentor)["id"]
    make_overdue(intro_id)
    for who in (sme, mentor):
        shown = get(client, who, intro_id).get_json()
        assert (shown["state"], shown["expires_at"]) == ("expired", None)
    listed = client.get("/api/v1/introductions?state=requested", headers=mentor.headers)
    assert [i["id"] for i in listed.get_json()["items"]] == [fresh_id]
    listed = client.get("/api/v1/introductions?state=expired", headers=mentor.headers)
    assert [(i["id"], i["state"]) for i in listed.get_json()["items"]] == [(intro_id, "expired")]
    everything = client.get("/api/v1/introductions", headers=sme.headers).get_json()
    assert [i["state"] for i in everything["items"]] == ["expired"]
    assert stored(intro_id).state == "requested"  # a read writes nothing: the sweep does
    assert audit_actions(intro_id) == ["introduction.request"]


def test_a_full_mentor_expires_the_overdue_requests_it_did_not_answer(client, party):
    mentor = party("mentor", capacity=1)
    smes = [party("sme") for _ in range(2)]
    fresh, overdue = (request_intro(client, sme, mentor)["id"] for sme in smes)
    make_overdue(overdue)
    assert act(client, mentor, fresh, "accept").status_code == 200
    assert stored(overdue).state == "expired"
    assert [m.template for m in outbox(smes[1].user_id)] == ["expired_requester"]


def test_outsiders_get_404_and_actions_reject_unknown_fields(client, party):
    sme, mentor, outsider = party("sme"), party("mentor"), party("sme")
    intro = request_intro(client, sme, mentor)
    assert get(client, outsider, intro["id"]).status_code == 404
    assert act(client, outsider, intro["id"], "withdraw").status_code == 404
    assert get(client, sme, 99999).status_code == 404
    assert get(client, sme, 10**20).status_code == 404
    response = act(client, mentor, intro["id"], "accept", force=True)
    assert response.status_code == 422 and "force" in response.get_json()["error"]["fields"]
    assert stored(intro["id"]).state == "requested"


def test_staff_answer_only_for_profiles_nobody_owns(client, party, as_role):
    _, coordinator = as_role("coordinator")
    sme = party("sme")
    owned = party("mentor")
    intro = request_intro(client, sme, owned)
    assert act(client, Party(0, coordinator, 0, ""), intro["id"], "accept").status_code == 403
    unowned = client.post("/api/v1/mentors", json=payload("mentor", name="No account"),
                          headers=coordinator).get_json()
    other = request_intro(client, sme, Party(0, coordinator, unowned["id"], "mentor"),
                          headers=sme.headers)
    response = client.post(f"/api/v1/introductions/{other['id']}/accept", headers=coordinator)
    assert response.status_code == 200


# -- privacy ---------------------------------------------------------------------------------

def test_contacts_appear_only_after_acceptance_and_only_to_parties_and_admins(
        client, party, as_role):
    sme, mentor = party("sme"), party("mentor")
    _, coordinator = as_role("coordinator")
    _, admin = as_role("admin")
    intro = request_intro(client, sme, mentor)
    for viewer in (sme.headers, mentor.headers, coordinator, admin):
        body = get(client, viewer, intro["id"]).get_json()
        for side in ("requester", "target"):
            assert not set(CONTACTS) & set(body[side])
    act(client, mentor, intro["id"], "accept")
    for viewer in (sme.headers, mentor.headers, admin):
        body = get(client, viewer, intro["id"]).get_json()
        assert body["requester"]["contact_email"] == payload("sme")["contact_email"]
        assert body["target"]["contact_email"] == payload("mentor")["contact_email"]
    staff_view = get(client, coordinator, intro["id"]).get_json()
    assert not set(CONTACTS) & (set(staff_view["requester"]) | set(staff_view["target"]))
    listed = client.get("/api/v1/introductions", headers=coordinator).get_json()["items"][0]
    assert "contact_email" not in listed["requester"]
    reveal = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "introduction.reveal_contacts")).one()
    assert reveal.details == {"profile_ids": [sme.id, mentor.id]}


def test_audit_details_hold_no_personal_data(client, party):
    sme, mentor = party("sme"), party("mentor")
    intro = request_intro(client, sme, mentor, message="Private note about our plans")
    act(client, mentor, intro["id"], "accept")
    act(client, sme, intro["id"], "feedback", rating=5, comment="Very helpful, thank you")
    text = repr([(e.action, e.details) for e in db.session.scalars(db.select(AuditEntry))])
    for private in ("Private note", "Very helpful", payload("sme")["contact_email"],
                    payload("mentor")["name"], payload("sme")["name"]):
        assert private not in text


# -- capacity, availability, responsiveness --------------------------------------------------

def test_a_full_mentor_declines_waiting_requests_and_takes_no_new_ones(client, party):
    mentor = party("mentor", capacity=2)
    smes = [party("sme", locale=lc) for lc in ("en", "es", "fr", "en")]
    intros = [request_intro(client, sme, mentor) for sme in smes[:3]]
    assert act(client, mentor, intros[0]["id"], "accept").status_code == 200
    assert act(client, mentor, intros[1]["id"], "accept").status_code == 200
    third = get(client, smes[2], intros[2]["id"]).get_json()
    assert (third["state"], third["decline_reason_code"]) == ("declined", "no_capacity")
    [told] = outbox(smes[2].user_id)
    assert told.template == "declined_no_capacity" and told.locale == "fr"
    assert "Motif indiqué" not in told.body  # no reason was given: the mentor is full
    assert db.session.scalars(db.select(AuditEntry.details).where(
        AuditEntry.object_id == intros[2]["id"],
        AuditEntry.action == "introduction.decline")).one()["automatic"] is True
    refused = client.post("/api/v1/introductions", headers=smes[3].headers,
                          json={"requester_id": smes[3].id, "target_id": mentor.id})
    assert refused.status_code == 409 and "capacity" in refused.get_json()["error"]["message"]
    act(client, smes[0], intros[0]["id"], "complete")
    assert request_intro(client, smes[3], mentor)["state"] == "requested"
    mentor_view = client.get(f"/api/v1/mentors/{mentor.id}", headers=mentor.headers).get_json()
    assert mentor_view["active_count"] == 1


def test_the_automatic_decline_says_the_mentor_is_full_not_that_it_gave_a_reason(client,
                                                                                party):
    mentor = party("mentor", capacity=1)
    smes = [party("sme") for _ in range(2)]
    accepted, closed = (request_intro(client, sme, mentor)["id"] for sme in smes)
    assert act(client, mentor, accepted, "accept").status_code == 200
    [told] = outbox(smes[1].user_id)
    assert told.template == "declined_no_capacity"
    name = payload("mentor")["name"]
    assert told.subject == f"{name} has no room for new introductions"
    assert told.body.startswith(f"{name} has no room for new introductions right now, so "
                                "your request was closed; you may ask again when they do.")
    assert "Reason given" not in told.body and "declined" not in told.body
    notice = client.get("/api/v1/notifications", headers=smes[1].headers).get_json()["items"]
    assert [(n["kind"], n["message"]) for n in notice] == [(
        "declined_no_capacity",
        f"{name} has no room for new introductions right now: your request was closed.")]


def test_a_mentor_who_declines_for_capacity_gives_that_reason(client, party):
    sme, mentor = party("sme"), party("mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    assert act(client, mentor, intro_id, "decline", reason_code="no_capacity",
               reason_text="Vuelva en marzo").status_code == 200
    [told] = outbox(sme.user_id)
    assert told.template == "declined"
    assert "Reason given: No capacity for new introductions right now." in told.body
    assert "Vuelva en marzo" in told.body


def test_a_full_mentor_cannot_accept_its_own_request(client, party):
    mentor = party("mentor", capacity=1)
    sme_a, sme_b = party("sme"), party("sme")
    asked = request_intro(client, mentor, sme_b)
    incoming = request_intro(client, sme_a, mentor)
    act(client, mentor, incoming["id"], "accept")
    response = act(client, sme_b, asked["id"], "accept")
    assert response.status_code == 409 and "capacity" in response.get_json()["error"]["message"]
    assert stored(asked["id"]).state == "requested"
    assert profile_row(mentor.id).active_count == 1


def test_capacity_cannot_go_below_the_current_load(client, party):
    mentor = party("mentor", capacity=3)
    smes = [party("sme") for _ in range(3)]
    intros = [request_intro(client, sme, mentor) for sme in smes]
    for intro in intros[:2]:
        act(client, mentor, intro["id"], "accept")
    url = f"/api/v1/mentors/{mentor.id}"
    before = row_counts()
    response = client.patch(url, json={"capacity": 1}, headers=mentor.headers)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["capacity"]
    assert row_counts() == before and profile_row(mentor.id).capacity == 3
    full = client.patch(url, json={"capacity": 2}, headers=mentor.headers)
    assert full.status_code == 200 and full.get_json()["capacity"] == 2
    waiting = stored(intros[2]["id"])
    assert (waiting.state, waiting.decline_reason_code) == ("declined", "no_capacity")


def test_the_database_refuses_a_load_above_capacity(app, party):
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    mentor = party("mentor", capacity=1)
    for load in (2, -1):
        with pytest.raises(IntegrityError):
            db.session.execute(update(Profile).where(Profile.id == mentor.id)
                               .values(active_count=load))
            db.session.flush()
        db.session.rollback()


def test_pausing_hides_nothing_already_asked_and_refuses_new_requests(client, party):
    mentor = party("mentor")
    sme_a, sme_b = party("sme"), party("sme")
    waiting = request_intro(client, sme_a, mentor)
    paused = client.patch(f"/api/v1/mentors/{mentor.id}", json={"paused": True},
                          headers=mentor.headers)
    assert paused.status_code == 200 and paused.get_json()["paused"] is True
    assert not profile_row(mentor.id).is_available()
    assert stored(waiting["id"]).state == "requested"
    refused = client.post("/api/v1/introductions", headers=sme_b.headers,
                          json={"requester_id": sme_b.id, "target_id": mentor.id})
    assert refused.status_code == 409
    assert act(client, mentor, waiting["id"], "accept").status_code == 200


def test_available_until_ends_availability(client, party):
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    mentor, sme = party("mentor", available_until=soon), party("sme")
    row = profile_row(mentor.id)
    assert row.is_available() and not row.is_available(utcnow() + timedelta(hours=2))
    assert db.session.scalar(db.select(Profile.id).where(
        Profile.id == mentor.id, Profile.available_clause(utcnow() + timedelta(hours=2)))) is None
    past = (utcnow() - timedelta(days=1)).isoformat()
    client.patch(f"/api/v1/mentors/{mentor.id}", json={"available_until": past},
                 headers=mentor.headers)
    refused = client.post("/api/v1/introductions", headers=sme.headers,
                          json={"requester_id": sme.id, "target_id": mentor.id})
    assert refused.status_code == 409


def test_profiles_show_last_activity_and_response_rate(client, party):
    mentor = party("mentor")
    smes = [party("sme") for _ in range(2)]
    url = f"/api/v1/mentors/{mentor.id}"
    fresh = client.get(url, headers=smes[0].headers).get_json()
    assert fresh["response_rate"] is None
    intros = [request_intro(client, sme, mentor) for sme in smes]
    act(client, mentor, intros[0]["id"], "decline", reason_code="timing")
    shown = client.get(url, headers=smes[0].headers).get_json()
    assert shown["response_rate"] == 1.0 and shown["last_active_at"]
    sme_view = client.get(f"/api/v1/smes/{smes[0].id}", headers=mentor.headers).get_json()
    assert sme_view["last_active_at"] and sme_view["response_rate"] is None


def test_deleting_a_party_frees_the_mentors_capacity(client, party):
    mentor, sme = party("mentor", capacity=1), party("sme")
    intro = request_intro(client, sme, mentor)
    act(client, mentor, intro["id"], "accept")
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 204
    assert profile_row(mentor.id).active_count == 0
    assert stored(intro["id"]).state == "completed"


def test_deleting_a_profile_with_history_keeps_it_anonymised_for_the_counterpart_and_metrics(
        client, party, as_role):
    mentor, sme = party("mentor"), party("sme")
    _, staff = as_role("coordinator")
    accepted = request_intro(client, sme, mentor, message="Necesitamos IATF 16949")
    act(client, mentor, accepted["id"], "accept")
    before = client.get("/api/v1/metrics", headers=staff).get_json()
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 204
    assert client.get(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 404
    seen = client.get(f"/api/v1/introductions/{accepted['id']}", headers=mentor.headers)
    assert seen.status_code == 200
    shown = seen.get_json()
    assert shown["requester"]["name"] == "(deleted profile)" and shown["message"] == ""
    assert shown["requester"].get("contact_email") is None
    after = client.get("/api/v1/metrics", headers=staff).get_json()
    assert after["introductions"] == before["introductions"] == 1
    assert after["acceptance_by_sme_country"] == before["acceptance_by_sme_country"]
    row = profile_row(sme.id)
    assert row.active is False and row.user_id is None and row.contact_email is None
    again = client.post("/api/v1/smes", json=payload("sme"), headers=sme.headers)
    assert again.status_code == 201  # the account may start a new profile


# -- feedback and reviews --------------------------------------------------------------------

def test_feedback_once_per_party_after_acceptance(client, party, as_role):
    sme, mentor = party("sme"), party("mentor")
    _, coordinator = as_role("coordinator")
    intro_id = request_intro(client, sme, mentor)["id"]
    early = act(client, sme, intro_id, "feedback", rating=4)
    assert early.status_code == 409 and "accepted" in early.get_json()["error"]["message"]
    act(client, mentor, intro_id, "accept")
    given = act(client, sme, intro_id, "feedback", rating=5, comment="Great")
    assert given.status_code == 201
    assert [(f["rating"], f["comment"]) for f in given.get_json()["feedback"]] == [(5, "Great")]
    assert act(client, sme, intro_id, "feedback", rating=3).status_code == 409
    assert act(client, mentor, intro_id, "feedback", rating=2).status_code == 201
    mentor_view = get(client, mentor, intro_id).get_json()
    assert [f["rating"] for f in mentor_view["feedback"]] == [2]  # only its own
    staff_view = get(client, coordinator, intro_id).get_json()
    assert sorted(f["rating"] for f in staff_view["feedback"]) == [2, 5]
    response = client.post(f"/api/v1/introductions/{intro_id}/feedback", headers=coordinator,
                           json={"rating": 4})
    assert response.status_code == 403
    assert audit_actions(intro_id).count("introduction.feedback") == 2


@pytest.mark.parametrize("body, field", [({}, "rating"), ({"rating": 6}, "rating"),
                                         ({"rating": 0}, "rating"), ({"rating": "5"}, "rating"),
                                         ({"rating": 5, "stars": 5}, "stars")])
def test_bad_feedback_names_the_field(client, party, body, field):
    sme, mentor = party("sme"), party("mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    act(client, mentor, intro_id, "accept")
    before = row_counts()
    response = client.post(f"/api/v1/introductions/{intro_id}/feedback", json=body,
                           headers=sme.headers)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert row_counts() == before


def test_coordinators_review_and_flag(client, party, as_role):
    sme, mentor = party("sme"), party("mentor")
    coordinator_user, coordinator = as_role("coordinator")
    intro_id = request_intro(client, sme, mentor)["id"]
    act(client, mentor, intro_id, "decline", reason_code="not_my_expertise")
    response = client.post(f"/api/v1/introductions/{intro_id}/review", headers=coordinator,
                           json={"rating": 2, "comment": "Poor match", "flag": True})
    assert response.status_code == 201
    [review] = response.get_json()["reviews"]
    assert (review["rating"], review["flag"], review["reviewer_id"]) == (
        2, True, coordinator_user.id)
    again = client.post(f"/api/v1/introductions/{intro_id}/review", headers=coordinator,
                        json={"rating": 3})
    assert again.status_code == 409
    assert act(client, sme, intro_id, "review", rating=5).status_code == 403
    assert get(client, sme, intro_id).get_json()["reviews"] == []
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "introduction.review")).one()
    assert entry.details == {"rating": 2, "flag": True}
    assert entry.actor_id == coordinator_user.id


# -- listing ---------------------------------------------------------------------------------

def test_parties_list_their_own_and_staff_list_all(client, party, as_role):
    mentor, sme_a, sme_b, buyer = party("mentor"), party("sme"), party("sme"), party("buyer")
    _, coordinator = as_role("coordinator")
    first = request_intro(client, sme_a, mentor)
    request_intro(client, sme_b, mentor)
    request_intro(client, buyer, sme_a)
    act(client, mentor, first["id"], "accept")

    def listed(headers, query=""):
        body = client.get(f"/api/v1/introductions{query}", headers=headers).get_json()
        return body["total"], [(i["requester"]["id"], i["target"]["id"]) for i in body["items"]]

    assert listed(sme_a.headers)[0] == 2
    assert listed(sme_b.headers) == (1, [(sme_b.id, mentor.id)])
    assert listed(coordinator)[0] == 3
    assert listed(sme_a.headers, "?direction=received") == (1, [(buyer.id, sme_a.id)])
    assert listed(mentor.headers, "?state=accepted") == (1, [(sme_a.id, mentor.id)])
    assert listed(coordinator, "?kind=buyer_sme") == (1, [(buyer.id, sme_a.id)])
    assert listed(coordinator, f"?profile_id={sme_b.id}")[0] == 1
    today = utcnow().date()
    assert listed(coordinator, f"?created_from={today}&created_to={today}")[0] == 3
    assert listed(coordinator, f"?created_to={today - timedelta(days=1)}")[0] == 0
    page = client.get("/api/v1/introductions?per_page=2&page=2", headers=coordinator).get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 2, 3, 1)


@pytest.mark.parametrize("query, field", [
    ("state=lost", "state"), ("kind=sme_sme", "kind"), ("created_from=yesterday",
                                                        "created_from"),
    ("created_from=2026-05-02&created_to=2026-05-01", "created_to"), ("per_page=101",
                                                                       "per_page"),
    ("colour=red", "colour"), ("created_to=9999-12-31", "created_to"),
    ("created_from=1999-12-31", "created_from"),
])
def test_bad_list_filters_name_the_field(client, party, query, field):
    sme = party("sme")
    response = client.get(f"/api/v1/introductions?{query}", headers=sme.headers)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_introductions_need_sign_in(client):
    assert client.get("/api/v1/introductions").status_code == 401
    assert client.post("/api/v1/introductions/1/accept").status_code == 401


def test_openapi_documents_introductions_and_their_errors(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert {"201", "401", "403", "409", "422"} <= set(paths["/api/v1/introductions"]["post"][
        "responses"])
    for action in ("accept", "decline", "withdraw", "complete", "feedback", "review"):
        responses = paths[f"/api/v1/introductions/{{intro_id}}/{action}"]["post"]["responses"]
        assert {"401", "403", "404", "409", "422"} <= set(responses), action
    assert "404" in paths["/api/v1/introductions/{intro_id}"]["get"]["responses"]


def test_each_reader_gets_the_reasons_in_their_own_voice(client, party, as_role):
    from matcher.reasons import Reason
    from webapp.catalogue import for_target, render_reason

    sme, mentor = party("sme"), party("mentor")
    _, staff = as_role("coordinator")
    intro_id = request_intro(client, sme, mentor)["id"]
    reasons = [Reason(r["code"], r["params"])
               for r in stored(intro_id).match_snapshot["reasons"]]
    assert "needs_covered" in {r.code for r in reasons}  # one that reads differently per side

    def messages(headers):
        body = client.get(f"/api/v1/introductions/{intro_id}", headers=headers).get_json()
        return [r["message"] for r in body["match"]["reasons"]]

    assert messages(sme.headers) == [render_reason(r) for r in reasons]
    assert messages(mentor.headers) == [render_reason(for_target(r)) for r in reasons]
    assert messages(staff) == [render_reason(r, staff_about="sme") for r in reasons]
    assert any(m.startswith("Needs help where you are an expert") for m in messages(
        mentor.headers))
    assert any(m.startswith("Expertise covers the SME's needs") for m in messages(staff))
