"""Deleting an account empties exactly what its party wrote (issue 7, privacy rights): its
request messages, decline notes, outcome-step notes and answer notes; what the other party
wrote stays, through the API and on the introductions page (services/privacy.py)."""

from __future__ import annotations

import pytest

from models import User, db
from tests.factories import login, today
from tests.intro_factories import act, make_party, request_intro

PASSWORD = "correct horse battery"


def report(client, party, intro_id, **body):
    response = client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=party.headers,
                           json={"occurred_on": today(), **body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def answer(client, party, intro_id, step_id, action, note):
    response = client.post(f"/api/v1/introductions/{intro_id}/outcomes/{step_id}/{action}",
                           headers=party.headers, json={"note": note})
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def world(client, as_role):
    """An SME and a buyer who wrote to each other: the SME's request (accepted), a step each
    with a note, each answered by the other with a note; and a mentor's request that the
    SME declined with a note."""
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    mentor = make_party(client, as_role, "mentor")
    trade = request_intro(client, sme, buyer, message="Request written by the SME")["id"]
    assert act(client, buyer, trade, "accept").status_code == 200
    met = report(client, sme, trade, stage="met", note="Step note written by the SME")
    answer(client, buyer, trade, met, "confirm", "Answer written by the buyer")
    sent = report(client, buyer, trade, stage="samples_sent",
                  note="Step note written by the buyer")
    answer(client, sme, trade, sent, "dispute", "Answer written by the SME")
    offer = request_intro(client, mentor, sme, message="Request written by the mentor")["id"]
    assert act(client, sme, offer, "decline", reason_code="timing",
               reason_text="Decline note written by the SME").status_code == 200
    return {"sme": sme, "buyer": buyer, "mentor": mentor, "trade": trade, "offer": offer}


def delete_account(client, party) -> None:
    assert client.delete("/api/v1/me", headers=party.headers,
                         json={"password": PASSWORD}).status_code == 204
    db.session.expire_all()


def words_seen(client, reader, intro_id) -> dict:
    """Return every text of the introduction the reader is shown through the API."""
    intro = client.get(f"/api/v1/introductions/{intro_id}", headers=reader.headers)
    steps = client.get(f"/api/v1/introductions/{intro_id}/outcomes", headers=reader.headers)
    assert intro.status_code == 200
    words = {"message": intro.get_json()["message"],
             "decline": intro.get_json()["decline_reason_text"]}
    for step in steps.get_json()["items"] if steps.status_code == 200 else []:
        words[step["stage"]] = (step["note"], step["answer_note"])
    return words


def test_the_deleted_partys_words_go_and_the_other_partys_stay(client, world):
    delete_account(client, world["sme"])
    assert words_seen(client, world["buyer"], world["trade"]) == {
        "message": "", "decline": None,
        "met": ("", "Answer written by the buyer"),
        "samples_sent": ("Step note written by the buyer", "")}
    assert words_seen(client, world["mentor"], world["offer"]) == {
        "message": "Request written by the mentor", "decline": None}


def test_the_other_party_deleted_leaves_the_survivors_words_whole(client, world):
    delete_account(client, world["buyer"])
    assert words_seen(client, world["sme"], world["trade"]) == {
        "message": "Request written by the SME", "decline": None,
        "met": ("Step note written by the SME", ""),
        "samples_sent": ("", "Answer written by the SME")}
    delete_account(client, world["mentor"])
    assert words_seen(client, world["sme"], world["offer"]) == {
        "message": "", "decline": "Decline note written by the SME"}


def test_the_introductions_page_shows_only_the_survivors_words(client, world):
    delete_account(client, world["sme"])
    assert login(client, db.session.get(User, world["buyer"].user_id).email).status_code == 302
    html = client.get("/introductions").get_data(as_text=True)
    assert "Step note written by the buyer" in html
    assert "written by the SME" not in html


def test_a_profile_retired_by_staff_loses_its_words_alike(client, as_role, world):
    _, staff = as_role("coordinator")
    assert client.delete(f"/api/v1/smes/{world['sme'].id}", headers=staff).status_code == 204
    db.session.expire_all()
    seen = words_seen(client, world["buyer"], world["trade"])
    assert seen["message"] == "" and seen["met"] == ("", "Answer written by the buyer")
    assert words_seen(client, world["mentor"], world["offer"]) == {
        "message": "Request written by the mentor", "decline": None}


def test_a_note_staff_wrote_on_a_partys_behalf_stays(client, as_role):
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro, "accept").status_code == 200
    met = report(client, sme, intro, stage="met", note="Step note written by the SME")
    _, staff = as_role("coordinator")
    response = client.post(f"/api/v1/introductions/{intro}/outcomes/{met}/confirm",
                           headers=staff, json={"note": "Confirmed by phone, wrote the staff"})
    assert response.status_code == 200 and response.get_json()["answered_on_behalf"]
    delete_account(client, buyer)
    assert words_seen(client, sme, intro)["met"] == (
        "Step note written by the SME", "Confirmed by phone, wrote the staff")
