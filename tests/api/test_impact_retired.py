"""A retired SME keeps its program figures whole: the impact report by ownership group and
the acceptance by ownership group do not move when its profile or account is deleted, and its
ownership is shown to no one (issue 14's impact report, issue 6's acceptance by group)."""

from __future__ import annotations

from datetime import date

import pytest

from models import Introduction, db
from tests.api.test_impact import confirmed_step, impact
from tests.intro_factories import act, make_party, request_intro

PASSWORD = "correct horse battery"


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def women_owned(client, as_role):
    """A women-owned Mexican SME with two confirmed orders from a US buyer, and a declined
    request to a mentor: two decided introductions in the metrics."""
    sme = make_party(client, as_role, "sme", ownership=["women"])
    buyer = make_party(client, as_role, "buyer")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro, "accept").status_code == 200
    today = date.today().isoformat()
    confirmed_step(client, buyer, sme, intro, stage="order_placed", occurred_on=today,
                   amount="2500.00", currency="USD")
    confirmed_step(client, buyer, sme, intro, stage="repeat_order", occurred_on=today,
                   amount="1643.12", currency="USD")
    declined = request_intro(client, sme, mentor)["id"]
    assert act(client, mentor, declined, "decline", reason_code="timing").status_code == 200
    return sme


def figures(client, staff) -> tuple[dict, dict, dict]:
    """Return the impact report by ownership, filtered to women-owned SMEs, and the metrics'
    acceptance by ownership group."""
    by_ownership = impact(client, staff)["by_ownership"]
    filtered = impact(client, staff, ownership="women")["years"]
    metrics = client.get("/api/v1/metrics", headers=staff).get_json()
    return by_ownership, filtered, metrics["acceptance_by_ownership"]


def delete_profile(client, sme) -> None:
    assert client.delete(f"/api/v1/smes/{sme.id}", headers=sme.headers).status_code == 204


def delete_account(client, sme) -> None:
    assert client.delete("/api/v1/me", headers=sme.headers,
                         json={"password": PASSWORD}).status_code == 204


@pytest.mark.parametrize("delete", [delete_profile, delete_account])
def test_deleting_the_sme_keeps_its_figures_in_its_ownership_group(client, staff, women_owned,
                                                                   delete):
    by_ownership, filtered, acceptance = figures(client, staff)
    women = by_ownership["women"]
    assert (women["exporters"], women["export_volume_usd"], women["orders"]) == (
        1, 4143.12, 2)
    assert acceptance["women"] == {"decided": 2, "accepted": 1, "acceptance_rate": 0.5}
    delete(client, women_owned)
    db.session.expire_all()
    assert figures(client, staff) == (by_ownership, filtered, acceptance)
    assert "none" not in figures(client, staff)[0]


def test_the_retired_profile_shows_no_ownership(client, as_role, staff, women_owned):
    delete_account(client, women_owned)
    _, admin = as_role("admin")
    for headers in (staff, admin):
        shown = client.get(f"/api/v1/smes/{women_owned.id}", headers=headers).get_json()
        assert shown["name"] == "(deleted profile)"
        assert not shown.get("ownership")


def test_an_introduction_keeps_the_groups_its_sme_declared_when_it_was_made(client, as_role,
                                                                           staff):
    sme = make_party(client, as_role, "sme", ownership=["minority", "women"])
    mentor = make_party(client, as_role, "mentor")
    intro_id = request_intro(client, sme, mentor)["id"]
    assert db.session.get(Introduction, intro_id).sme_ownership == "minority,women"
    changed = client.patch(f"/api/v1/smes/{sme.id}", headers=sme.headers,
                           json={"ownership": ["indigenous"]})
    assert changed.status_code == 200, changed.get_json()
    assert act(client, mentor, intro_id, "accept").status_code == 200
    acceptance = client.get("/api/v1/metrics", headers=staff).get_json()[
        "acceptance_by_ownership"]
    assert sorted(acceptance) == ["minority", "women"]  # as shown to the mentor, like exposure
