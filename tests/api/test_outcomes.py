"""Outcome ladders through the API: report, confirm, dispute, and every refusal writing nothing."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func

from models import AuditEntry, Introduction, OutcomeStep, db
from tests.factories import today
from tests.intro_factories import act, make_party, request_intro


@pytest.fixture
def trade(client, as_role):
    """An SME in Mexico and a buyer in the US whose introduction the buyer accepted."""
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    assert act(client, buyer, intro["id"], "accept").status_code == 200
    return sme, buyer, intro["id"]


def report(client, party, intro_id, **body):
    return client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=party.headers,
                       json={"occurred_on": today(), **body})


def answer(client, party, intro_id, step_id, action, **body):
    return client.post(f"/api/v1/introductions/{intro_id}/outcomes/{step_id}/{action}",
                       headers=party.headers, json=body)


def step_count() -> int:
    return db.session.scalar(db.select(func.count()).select_from(OutcomeStep))


def test_a_step_reported_by_one_party_is_confirmed_by_the_other(client, trade, as_role):
    sme, buyer, intro_id = trade
    reported = report(client, sme, intro_id, stage="order_placed", amount="12500.50",
                      currency="usd")
    assert reported.status_code == 201, reported.get_json()
    body = reported.get_json()
    assert (body["stage"], body["status"], body["amount"], body["currency"]) == (
        "order_placed", "reported", "12500.5000", "USD")
    confirmed = answer(client, buyer, intro_id, body["id"], "confirm")
    assert confirmed.status_code == 200
    assert confirmed.get_json()["status"] == "confirmed"
    _, staff = as_role("coordinator")
    for headers in (sme.headers, buyer.headers, staff):
        items = client.get(f"/api/v1/introductions/{intro_id}/outcomes",
                           headers=headers).get_json()["items"]
        assert [(i["stage"], i["status"]) for i in items] == [("order_placed", "confirmed")]


def test_someone_not_a_party_neither_sees_nor_reports_steps(client, trade, as_role):
    sme, _, intro_id = trade
    stranger = make_party(client, as_role, "sme", name="Another SME")
    assert client.get(f"/api/v1/introductions/{intro_id}/outcomes",
                      headers=stranger.headers).status_code == 404
    assert report(client, stranger, intro_id, stage="met").status_code == 404
    assert step_count() == 0


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"stage": "dinner"}, "stage", "not_one_of"),
    ({"stage": "session", "minutes": 60}, "stage", "stage_not_in_ladder"),
    ({"stage": "order_placed", "currency": "USD"}, "amount", "required_for_stage"),
    ({"stage": "order_placed", "amount": "-5", "currency": "USD"}, "amount",
     "amount_not_positive"),
    ({"stage": "order_placed", "amount": "0", "currency": "USD"}, "amount",
     "amount_not_positive"),
    ({"stage": "order_placed", "amount": "1" + "0" * 15, "currency": "USD"}, "amount",
     "amount_too_large"),
    ({"stage": "order_placed", "amount": 100, "currency": "USD"}, "amount",
     "not_decimal_string"),
    ({"stage": "order_placed", "amount": "100", "currency": "XYZ"}, "currency",
     "unknown_currency"),
    ({"stage": "order_placed", "amount": "100"}, "currency", "required_for_stage"),
    ({"stage": "met", "amount": "100", "currency": "USD"}, "amount", "not_for_stage"),
    ({"stage": "ended"}, "reason", "required_for_stage"),
    ({"stage": "met", "occurred_on": (date.today() + timedelta(days=2)).isoformat()},
     "occurred_on", "date_in_future"),
    ({"stage": "met", "occurred_on": "2020-01-01"}, "occurred_on",
     "date_before_introduction"),
    ({"stage": "met", "occurred_on": "yesterday"}, "occurred_on", "invalid_date"),
    ({"stage": "met", "colour": "red"}, "colour", "unknown_field"),
])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(client, trade, body,
                                                                   field, code):
    sme, _, intro_id = trade
    response = report(client, sme, intro_id, **body)
    assert response.status_code == 422, response.get_json()
    problems = response.get_json()["error"]["fields"]
    assert [p["code"] for p in problems[field]] == [code]
    assert problems[field][0]["message"]
    assert step_count() == 0


# ISO 4217 codes that are no money to order in: test and "no currency" codes, metals, units
# of account, bond market units, fund codes.
NOT_MONEY = ("XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD",
             "XUA", "XSU", "XAD", "USN", "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "UYI", "UYW")


@pytest.mark.parametrize("code", NOT_MONEY)
def test_an_order_in_a_code_that_is_no_money_is_refused(client, trade, code):
    sme, _, intro_id = trade
    response = report(client, sme, intro_id, stage="order_placed", amount="10", currency=code)
    assert response.status_code == 422, response.get_json()
    problems = response.get_json()["error"]["fields"]
    assert [p["code"] for p in problems["currency"]] == ["unknown_currency"]
    assert step_count() == 0


@pytest.mark.parametrize("code", ["USD", "MXN", "CAD", "EUR", "XAF", "XOF", "XCD", "XPF"])
def test_orders_in_real_currencies_are_taken(client, trade, code):
    sme, _, intro_id = trade
    response = report(client, sme, intro_id, stage="order_placed", amount="10", currency=code)
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_largest_amount_is_a_number_written_as_the_reader_writes_it(client, trade, lang):
    sme, _, intro_id = trade
    response = client.post(f"/api/v1/introductions/{intro_id}/outcomes?lang={lang}",
                           headers=sme.headers, json={"occurred_on": today(),
                                                      "stage": "order_placed",
                                                      "amount": "1" + "0" * 15,
                                                      "currency": "USD"})
    [problem] = response.get_json()["error"]["fields"]["amount"]
    assert problem["params"]["max"] == 10 ** 12  # a number for programs, not "1,000,…"
    digits = re.search(r"1\D?000\D?000\D?000\D?000", problem["message"])[0]
    # Spanish as Mexico writes it; French as Canada does, grouped by a no-break space
    assert digits == {"en": "1,000,000,000,000", "es": "1,000,000,000,000",
                      "fr": "1\u00a0000\u00a0000\u00a0000\u00a0000"}[lang]


def test_no_step_on_an_introduction_not_accepted(client, as_role):
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    response = report(client, sme, intro["id"], stage="met")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "outcome_needs_acceptance"
    assert step_count() == 0


def test_a_party_cannot_confirm_its_own_step(client, trade):
    sme, _, intro_id = trade
    step = report(client, sme, intro_id, stage="met").get_json()
    response = answer(client, sme, intro_id, step["id"], "confirm")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "outcome_own_step"
    assert db.session.get(OutcomeStep, step["id"]).status == "reported"


def test_a_dispute_needs_a_note_and_a_disputed_step_may_be_reported_again(client, trade):
    sme, buyer, intro_id = trade
    step = report(client, sme, intro_id, stage="met").get_json()
    refused = answer(client, buyer, intro_id, step["id"], "dispute")
    assert refused.status_code == 422
    assert "note" in refused.get_json()["error"]["fields"]
    assert db.session.get(OutcomeStep, step["id"]).status == "reported"
    disputed = answer(client, buyer, intro_id, step["id"], "dispute",
                      note="We never met; the call was cancelled.")
    assert disputed.get_json()["status"] == "disputed"
    assert answer(client, buyer, intro_id, step["id"], "confirm").status_code == 409
    assert report(client, sme, intro_id, stage="met").status_code == 201


def test_a_disputed_order_may_be_reported_again_after_its_repeat_order(client, trade):
    """A repeat order reported before the order was disputed: the order is missing from the
    ladder, and reporting it again was refused as out of order (after "Repeat order")."""
    sme, buyer, intro_id = trade
    order = report(client, sme, intro_id, stage="order_placed", amount="500",
                   currency="USD").get_json()
    assert report(client, sme, intro_id, stage="repeat_order", amount="700",
                  currency="USD").status_code == 201
    answer(client, buyer, intro_id, order["id"], "dispute", note="That was the sample.")
    again = report(client, sme, intro_id, stage="order_placed", amount="450", currency="USD")
    assert again.status_code == 201, again.get_json()
    # still out of order: a quote after an order that counts, a second order
    assert report(client, sme, intro_id, stage="quote_sent").get_json()["error"]["code"] == (
        "step_out_of_order")
    assert report(client, sme, intro_id, stage="order_placed", amount="1",
                  currency="USD").get_json()["error"]["code"] == "step_already_reported"


def test_a_coordinator_confirms_for_a_party_with_a_note_and_it_is_audited(client, trade,
                                                                          as_role):
    sme, _, intro_id = trade
    step = report(client, sme, intro_id, stage="samples_sent").get_json()
    _, staff = as_role("coordinator")
    url = f"/api/v1/introductions/{intro_id}/outcomes/{step['id']}/confirm"
    assert client.post(url, headers=staff, json={}).status_code == 422
    response = client.post(url, headers=staff, json={"note": "Buyer confirmed by phone."})
    assert response.status_code == 200
    assert response.get_json()["answered_on_behalf"] is True
    actions = db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_id == intro_id, AuditEntry.action.like("outcome.%"))).all()
    assert "outcome.confirm_on_behalf" in actions
    assert report(client, sme, intro_id, stage="met").status_code == 409  # order kept


@pytest.mark.parametrize(("first", "then", "code"), [
    ({"stage": "quote_sent"}, {"stage": "met"}, "step_out_of_order"),
    ({"stage": "met"}, {"stage": "met"}, "step_already_reported"),
    ({"stage": "met"}, {"stage": "repeat_order", "amount": "5", "currency": "MXN"},
     "repeat_before_order"),
    ({"stage": "ended", "reason": "price"}, {"stage": "met"}, "ladder_ended"),
])
def test_steps_follow_the_ladder(client, trade, first, then, code):
    sme, buyer, intro_id = trade
    assert report(client, sme, intro_id, **first).status_code == 201
    response = report(client, buyer, intro_id, **then)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == code
    assert step_count() == 1


def test_steps_may_be_skipped_an_order_without_a_meeting(client, trade):
    sme, buyer, intro_id = trade
    assert report(client, buyer, intro_id, stage="order_placed", amount="900",
                  currency="MXN").status_code == 201
    assert report(client, sme, intro_id, stage="repeat_order", amount="1000",
                  currency="MXN").status_code == 201
    assert report(client, sme, intro_id, stage="repeat_order", amount="1100",
                  currency="MXN").status_code == 201


def test_mentorship_sessions_carry_minutes_and_needs(client, as_role):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    assert act(client, mentor, intro["id"], "accept").status_code == 200
    bad = report(client, sme, intro["id"], stage="session", minutes=45, topics=["juggling"])
    assert bad.get_json()["error"]["fields"]["topics"][0]["code"] == "unknown_code"
    ok = report(client, mentor, intro["id"], stage="session", minutes=45,
                topics=["financing"])
    assert ok.status_code == 201, ok.get_json()
    goal = report(client, sme, intro["id"], stage="goal_achieved", goal="first_export")
    assert goal.status_code == 201
    assert report(client, sme, intro["id"], stage="order_placed", amount="1",
                  currency="USD").get_json()["error"]["fields"]["stage"][0]["code"] == (
        "stage_not_in_ladder")


def test_steps_stay_with_their_introduction(client, trade, as_role):
    sme, buyer, intro_id = trade
    step = report(client, sme, intro_id, stage="met").get_json()
    other_buyer = make_party(client, as_role, "buyer", name="Second buyer")
    other = request_intro(client, sme, other_buyer)
    response = answer(client, other_buyer, other["id"], step["id"], "confirm")
    assert response.status_code == 404
    assert db.session.get(OutcomeStep, step["id"]).status == "reported"
    assert db.session.get(Introduction, intro_id).state == "accepted"


def test_openapi_documents_the_outcome_and_impact_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    steps = paths["/api/v1/introductions/{intro_id}/outcomes"]
    assert {"get", "post"} <= set(steps)
    assert {"201", "403", "404", "409", "422"} <= set(steps["post"]["responses"])
    for action in ("confirm", "dispute"):
        assert "post" in paths[f"/api/v1/introductions/{{intro_id}}/outcomes/{{step_id}}/{action}"]
    assert "get" in paths["/api/v1/impact"] and "put" in paths[
        "/api/v1/impact/rates/{year}/{currency}"]


@pytest.mark.parametrize("step_id", [999, 2**31, 2**63])
def test_an_unknown_or_huge_step_id_is_not_found(client, trade, step_id):
    _, buyer, intro_id = trade
    response = answer(client, buyer, intro_id, step_id, "confirm")
    assert response.status_code == 404


def test_the_day_of_the_introduction_is_the_parties_day_not_utcs(client, trade):
    """A request made and accepted at 9 p.m. in Mexico City is 03:00 UTC the next day: a
    meeting that evening is dated on the parties' day, not refused as before the introduction."""
    sme, _, intro_id = trade
    intro = db.session.get(Introduction, intro_id)
    intro.created_at = intro.responded_at = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)
    db.session.commit()
    assert report(client, sme, intro_id, stage="met",
                  occurred_on="2026-03-09").status_code == 201
    earlier = report(client, sme, intro_id, stage="samples_sent", occurred_on="2026-03-08")
    assert earlier.status_code == 422
    assert earlier.get_json()["error"]["fields"]["occurred_on"][0]["params"] == {
        "date": "2026-03-09"}


def test_a_step_dated_before_an_earlier_step_of_the_trade_ladder_is_refused(client, trade):
    """A repeat order dated before the order it repeats (or a quote before the meeting) is
    422 naming the date; a disputed step does not count; nothing is written."""
    sme, buyer, intro_id = trade
    day = date.today()
    intro = db.session.get(Introduction, intro_id)
    intro.created_at = intro.responded_at = datetime.combine(
        day - timedelta(days=10), datetime.min.time(), UTC)
    db.session.commit()
    assert report(client, sme, intro_id, stage="met",
                  occurred_on=(day - timedelta(days=5)).isoformat()).status_code == 201
    assert report(client, sme, intro_id, stage="order_placed", amount="500", currency="USD",
                  occurred_on=(day - timedelta(days=3)).isoformat()).status_code == 201
    before = step_count()
    refused = report(client, buyer, intro_id, stage="repeat_order", amount="10", currency="USD",
                     occurred_on=(day - timedelta(days=4)).isoformat())
    assert refused.status_code == 422, refused.get_json()
    problem = refused.get_json()["error"]["fields"]["occurred_on"][0]
    assert (problem["code"], problem["params"]) == (
        "date_before_earlier_step",
        {"stage": "order_placed", "date": (day - timedelta(days=3)).isoformat()})
    assert "Order placed" in problem["message"]
    assert step_count() == before
    assert report(client, buyer, intro_id, stage="repeat_order", amount="10", currency="USD",
                  occurred_on=(day - timedelta(days=3)).isoformat()).status_code == 201
