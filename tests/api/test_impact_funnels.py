"""Each outcome ladder has its own funnel: mentorship introductions never reach trade's "met",
so they are not counted in the trade funnel's introductions (issue 14's funnel)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.test_impact import confirmed_step, impact
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
