"""Each outcome ladder has its own funnel: mentorship introductions never reach trade's "met",
so they are not counted in the trade funnel's introductions (issue 14's funnel)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models import CohortProposal, db
from tests.api.test_impact import backdate, confirmed_step, impact
from tests.intro_factories import act, make_party, request_intro
from webapp.services.impact import impact_report

TRADE = {"introduced": 1, "accepted": 1, "met": 1, "samples_sent": 0, "quote_sent": 0,
         "order_placed": 0, "repeat_order": 0}
MENTORSHIP = {"introduced": 3, "accepted": 2, "session": 2, "goal_achieved": 1}


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")


@pytest.fixture
def ladders(client, as_role):
    """One SME↔buyer introduction that met; three SME↔mentor requests: one with a session,
    one with a goal only (a goal counts past the session step), one never answered."""
    today = date.today().isoformat()
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    trade = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, trade, "accept").status_code == 200
    confirmed_step(client, sme, buyer, trade, stage="met", occurred_on=today)
    for step in ({"stage": "session", "minutes": 60},
                 {"stage": "goal_achieved", "goal": "first_export"}, None):
        mentee, mentor = make_party(client, as_role, "sme"), make_party(client, as_role,
                                                                        "mentor")
        intro = request_intro(client, mentee, mentor)["id"]
        if step is not None:
            assert act(client, mentor, intro, "accept").status_code == 200
            confirmed_step(client, mentee, mentor, intro, occurred_on=today, **step)


def test_the_trade_funnel_counts_trade_introductions_only(client, staff, ladders):
    assert impact(client, staff[1])["funnel"] == TRADE
    assert impact(client, staff[1], pairing="trade")["funnel"] == TRADE
    assert impact(client, staff[1], pairing="mentorship")["funnel"]["introduced"] == 0


def test_the_mentorship_ladder_has_its_own_funnel(staff, ladders):
    report = impact_report(staff[0], {})
    assert report["funnel"] == TRADE
    assert report["mentorship_funnel"] == MENTORSHIP
    assert impact_report(staff[0], {"pairing": "trade"})["mentorship_funnel"]["introduced"] == 0


def test_the_api_gives_the_mentorship_funnel(client, staff, ladders):
    assert impact(client, staff[1])["mentorship_funnel"] == MENTORSHIP


def test_a_years_funnel_follows_its_introductions_to_steps_taken_after_the_year(
        client, as_role, staff):
    """The funnel of the introductions made in 2025 counts the order one of them led to in
    2026: "those (introductions) with a confirmed step", whenever the step was taken."""
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    intro_id = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro_id, "accept").status_code == 200
    backdate(intro_id, datetime(2025, 12, 15, tzinfo=UTC))
    confirmed_step(client, buyer, sme, intro_id, stage="order_placed",
                   occurred_on="2026-01-20", amount="100", currency="USD")
    funnel_2025 = impact(client, staff[1], **{"from": 2025, "to": 2025})["funnel"]
    assert (funnel_2025["introduced"], funnel_2025["met"], funnel_2025["order_placed"]) == (
        1, 1, 1)
    assert impact(client, staff[1], **{"from": 2026, "to": 2026})["funnel"]["introduced"] == 0


def test_the_funnel_by_source_cohort_or_self_requested(client, as_role, staff):
    """The issue asks for the funnel by source as by country and group: a ``source`` filter."""
    today = date.today().isoformat()
    ids = []
    for _ in range(2):
        sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
        ids.append(request_intro(client, sme, buyer)["id"])
        assert act(client, buyer, ids[-1], "accept").status_code == 200
    confirmed_step(client, sme, buyer, ids[-1], stage="met", occurred_on=today)
    db.session.add(CohortProposal(status="confirmed", result={"confirmation": {"created": [
        {"sme_id": sme.id, "mentor_id": buyer.id, "introduction_id": ids[-1]}]}}))
    db.session.commit()
    cohort = impact(client, staff[1], source="cohort")["funnel"]
    own = impact(client, staff[1], source="self_requested")["funnel"]
    assert (cohort["introduced"], cohort["met"]) == (1, 1)
    assert (own["introduced"], own["met"]) == (1, 0)
    bad = client.get("/api/v1/impact", headers=staff[1], query_string={"source": "friends"})
    assert bad.status_code == 422 and "source" in bad.get_json()["error"]["fields"]


def test_median_days_are_never_negative_for_a_step_on_the_parties_day_of_acceptance(
        client, as_role, staff):
    """Accepted at 9 p.m. in Mexico City (03:00 UTC the next day), met that evening: 0 days."""
    sme, buyer = make_party(client, as_role, "sme"), make_party(client, as_role, "buyer")
    intro_id = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro_id, "accept").status_code == 200
    backdate(intro_id, datetime(2026, 3, 10, 3, 0, tzinfo=UTC))
    confirmed_step(client, sme, buyer, intro_id, stage="met", occurred_on="2026-03-09")
    assert impact(client, staff[1])["median_days"]["met"] == 0
