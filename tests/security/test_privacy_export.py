"""``GET /api/v1/me/export`` holds the caller's outcome steps, meeting proposals and match
marks (issue 7, privacy rights): what concerns the caller, the notes it wrote, and nothing of
the other party's contacts or words (services/privacy.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import PASSWORD
from tests.factories import today
from tests.intro_factories import act, make_party, request_intro


def post(client, party, path, body=None, status=201):
    response = client.post(f"/api/v1/{path}", headers=party.headers, json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def in_days(days: int, hour: int) -> str:
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat()


@pytest.fixture
def trade(client, as_role):
    """An SME and a buyer whose introduction was accepted, with a step and a meeting
    proposal each (the SME answered the buyer's and picked its time), and an SME that saved
    the buyer and hid a mentor."""
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro, "accept").status_code == 200
    steps = f"introductions/{intro}/outcomes"
    met = post(client, sme, steps, {"occurred_on": today(), "stage": "met",
                                    "note": "The SME's own step note"})["id"]
    post(client, buyer, f"{steps}/{met}/confirm", {"note": "The buyer's answer"}, 200)
    order = post(client, buyer, steps, {"occurred_on": today(), "stage": "samples_sent",
                                        "note": "The buyer's step note"})["id"]
    post(client, sme, f"{steps}/{order}/dispute", {"note": "The SME's own answer"}, 200)
    meetings = f"introductions/{intro}/meetings"
    own = post(client, sme, meetings, {"times": [in_days(3, 15)], "minutes": 45,
                                       "note": "The SME's own meeting note"})["id"]
    theirs = post(client, buyer, meetings, {"times": [in_days(4, 16)],
                                            "note": "The buyer's meeting note"})["id"]
    post(client, sme, f"{meetings}/{theirs}/pick", {"time": in_days(4, 16)}, 200)
    post(client, sme, f"smes/{sme.id}/matches/{buyer.id}/save", status=200)
    post(client, sme, f"smes/{sme.id}/matches/{mentor.id}/hide", status=200)
    return {"sme": sme, "buyer": buyer, "mentor": mentor, "intro": intro, "met": met,
            "order": order, "own": own, "theirs": theirs}


def export_of(client, party) -> dict:
    response = client.get("/api/v1/me/export", headers=party.headers)
    assert response.status_code == 200
    return response.get_json()


def test_export_holds_my_outcome_steps_with_the_notes_i_wrote(client, trade):
    steps = {s["id"]: s for s in export_of(client, trade["sme"])["outcome_steps"]}
    assert set(steps) == {trade["met"], trade["order"]}
    met, order = steps[trade["met"]], steps[trade["order"]]
    assert (met["introduction_id"], met["stage"], met["status"], met["occurred_on"]) == (
        trade["intro"], "met", "confirmed", today())
    assert (met["reported_by_you"], met["note"], met["answer_note"]) == (
        True, "The SME's own step note", None)
    assert (order["reported_by_you"], order["note"], order["answer_note"]) == (
        False, None, "The SME's own answer")
    assert order["status"] == "disputed" and order["answered_at"]


def test_export_holds_amounts_and_currencies_as_given(client, as_role):
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro, "accept").status_code == 200
    for stage in ("met", "samples_sent", "quote_sent"):
        post(client, sme, f"introductions/{intro}/outcomes",
             {"occurred_on": today(), "stage": stage})
    post(client, buyer, f"introductions/{intro}/outcomes",
         {"occurred_on": today(), "stage": "order_placed", "amount": "12500.50",
          "currency": "usd"})
    [order] = [s for s in export_of(client, sme)["outcome_steps"]
               if s["stage"] == "order_placed"]
    assert (order["amount"], order["currency"], order["reported_by_you"]) == (
        "12500.5000", "USD", False)


def test_export_holds_my_meeting_proposals_and_my_picks(client, trade):
    meetings = {m["id"]: m for m in export_of(client, trade["sme"])["meeting_proposals"]}
    assert set(meetings) == {trade["own"], trade["theirs"]}
    own, theirs = meetings[trade["own"]], meetings[trade["theirs"]]
    assert (own["proposed_by_you"], own["note"], own["minutes"]) == (
        True, "The SME's own meeting note", 45)
    assert [datetime.fromisoformat(t) for t in own["times"]] == [
        datetime.fromisoformat(in_days(3, 15))]
    assert own["picked_time"] is None and own["picked_by_you"] is False
    assert (theirs["proposed_by_you"], theirs["note"], theirs["picked_by_you"]) == (
        False, None, True)
    assert datetime.fromisoformat(theirs["picked_time"]) == datetime.fromisoformat(
        in_days(4, 16))


def test_export_holds_my_saved_and_hidden_matches(client, trade):
    marks = export_of(client, trade["sme"])["match_marks"]
    assert sorted((m["candidate_id"], m["mark"]) for m in marks) == sorted([
        (trade["buyer"].id, "saved"), (trade["mentor"].id, "hidden")])
    assert all(m["at"] for m in marks)
    assert export_of(client, trade["buyer"])["match_marks"] == []


def test_export_holds_nothing_the_other_party_wrote_nor_its_contacts(client, trade):
    text = json.dumps(export_of(client, trade["sme"]))
    buyer = client.get(f"/api/v1/buyers/{trade['buyer'].id}",
                       headers=trade["buyer"].headers).get_json()
    for theirs in ("The buyer's answer", "The buyer's step note", "The buyer's meeting note",
                   buyer["contact_email"]):
        assert theirs not in text
    buyers = export_of(client, trade["buyer"])
    assert {s["id"]: s["note"] for s in buyers["outcome_steps"]} == {
        trade["met"]: None, trade["order"]: "The buyer's step note"}


def test_a_coordinators_export_holds_the_reviews_it_wrote(client, as_role):
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)["id"]
    _, coordinator = as_role("coordinator")
    _, other = as_role("coordinator")
    for headers, comment in ((coordinator, "My own review"), (other, "Another's review")):
        response = client.post(f"/api/v1/introductions/{intro}/review", headers=headers,
                               json={"rating": 4, "comment": comment, "flag": True})
        assert response.status_code == 201
    exported = client.get("/api/v1/me/export", headers=coordinator).get_json()
    [review] = exported["reviews"]
    assert (review["introduction_id"], review["rating"], review["comment"], review["flag"]) \
        == (intro, 4, "My own review", True)
    assert review["created_at"]
    assert export_of_headers(client, sme.headers)["reviews"] == []


def export_of_headers(client, headers) -> dict:
    response = client.get("/api/v1/me/export", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_a_deleted_staff_accounts_review_comments_go_and_its_ratings_stay(client, as_role):
    """As a party's feedback comments go with its account, so do a coordinator's review
    comments; the rating and flag stay for the program's figures, and another's review stays
    whole."""
    sme, mentor = make_party(client, as_role, "sme"), make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)["id"]
    _, leaving = as_role("coordinator")
    _, staying = as_role("coordinator")
    for headers, comment in ((leaving, "Ana at Acme was rude"), (staying, "Good pair")):
        assert client.post(f"/api/v1/introductions/{intro}/review", headers=headers,
                           json={"rating": 2, "comment": comment, "flag": True}
                           ).status_code == 201
    assert client.delete("/api/v1/me", headers=leaving,
                         json={"password": "correct horse battery"}).status_code == 204
    reviews = client.get(f"/api/v1/introductions/{intro}", headers=staying).get_json()["reviews"]
    assert sorted((r["comment"], r["rating"], r["flag"]) for r in reviews) == [
        ("", 2, True), ("Good pair", 2, True)]


def test_export_holds_my_sign_in_times_verification_and_token_uses(app, client, make_user):
    """Everything held about the account: when it last signed in (and the time before), when
    its address was verified, and when each of its tokens was last used — as the Users page
    and the token list show them."""
    from tests.factories import login
    user = make_user("sme", email="times@example.test")
    login(client, "times@example.test")
    login(client, "times@example.test")
    created = app.test_client().post("/api/v1/auth/tokens", json={
        "email": "times@example.test", "password": PASSWORD})
    assert created.status_code == 201, created.get_json()
    headers = {"Authorization": f"Bearer {created.get_json()['token']}"}
    export = app.test_client().get("/api/v1/me/export", headers=headers).get_json()
    account = export["account"]
    assert account["email_verified_at"] is not None
    assert account["last_login_at"] is not None and account["previous_login_at"] is not None
    assert account["active"] is True
    listed = app.test_client().get("/api/v1/auth/tokens", headers=headers).get_json()["items"]
    assert [t["last_used_at"] for t in export["api_tokens"]] == [
        t["last_used_at"] for t in sorted(listed, key=lambda t: t["id"])]
    assert export["api_tokens"][0]["last_used_at"] is not None
    assert user.id == account["id"]
