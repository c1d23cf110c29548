"""A party that moves keeps its past figures: whether an introduction's order is an export, the
metrics' cross-border pairs and groups by country, and the introductions CSV's countries are
those of the parties when the introduction was made (issue 14), not where they are now."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from models import Introduction, db
from tests.api.test_impact import confirmed_step, impact
from tests.factories import login
from tests.intro_factories import act, make_party, request_intro

NEW_YORK = {"country": "US", "subdivision": "US-NY", "city": "New York"}
MONTREAL = {"country": "CA", "subdivision": "CA-QC", "city": "Montréal"}
COUNTRY_COLUMNS = ("requester_country", "target_country")


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


@pytest.fixture
def pages(app, make_user):
    """A second client, a coordinator signed in to the pages (for the CSV download): the API
    client sends no session cookie."""
    browser = app.test_client()
    assert login(browser, make_user("coordinator").email).status_code == 302
    return browser


def ordered(client, sme, buyer) -> int:
    """Return a new accepted SME→buyer introduction with a confirmed order of today."""
    intro = request_intro(client, sme, buyer)["id"]
    assert act(client, buyer, intro, "accept").status_code == 200
    confirmed_step(client, buyer, sme, intro, stage="order_placed",
                   occurred_on=date.today().isoformat(), amount="1000.00", currency="USD")
    return intro


@pytest.fixture
def domestic(client, as_role):
    """A New York SME with a confirmed order from a New York buyer: a US↔US order."""
    sme = make_party(client, as_role, "sme", **NEW_YORK)
    buyer = make_party(client, as_role, "buyer", **NEW_YORK)
    return sme, buyer, ordered(client, sme, buyer)


def move(client, party, where: dict) -> None:
    kind = {"sme": "smes", "buyer": "buyers"}[party.kind]
    response = client.patch(f"/api/v1/{kind}/{party.id}", json=where, headers=party.headers)
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()


def csv_countries(pages) -> dict[int, tuple[str, str]]:
    response = pages.get("/dashboard/introductions.csv")
    assert response.status_code == 200
    return {int(row["id"]): tuple(row[c] for c in COUNTRY_COLUMNS)
            for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}


def figures(client, staff, pages) -> dict:
    """Return every figure that groups the introductions by their parties' countries."""
    report = impact(client, staff)
    metrics = client.get("/api/v1/metrics", headers=staff).get_json()
    by_filter = {cc: (impact(client, staff, country=cc)["years"],
                      client.get("/api/v1/metrics", headers=staff,
                                 query_string={"country": cc}).get_json()["introductions"])
                 for cc in ("US", "CA")}
    return {"years": report["years"], "by_country": report["by_country"],
            "cross_border": metrics["cross_border"],
            "acceptance_by_sme_country": metrics["acceptance_by_sme_country"],
            "filtered": by_filter, "csv": csv_countries(pages)}


@pytest.mark.parametrize("mover", ["buyer", "sme"])
def test_a_party_moving_abroad_does_not_turn_its_past_orders_into_exports(
        client, staff, pages, domestic, mover):
    sme, buyer, intro = domestic
    before = figures(client, staff, pages)
    year = before["years"][-1]
    assert (year["orders"], year["exporters"], year["export_volume_usd"]) == (1, 0, 0)
    assert before["cross_border"] == {
        "share": 0.0, "by_country_pair": {"US-US": {"introductions": 1, "share": 1.0}}}
    assert list(before["by_country"]) == list(before["acceptance_by_sme_country"]) == ["US"]
    assert before["filtered"]["CA"][1] == 0
    assert before["csv"] == {intro: ("US", "US")}
    move(client, {"buyer": buyer, "sme": sme}[mover], MONTREAL)
    assert figures(client, staff, pages) == before


def test_a_new_introduction_across_the_border_still_counts_as_one(
        client, as_role, staff, pages, domestic):
    sme, buyer, old = domestic
    move(client, buyer, MONTREAL)
    other_sme = make_party(client, as_role, "sme", **NEW_YORK)
    new = ordered(client, other_sme, buyer)
    after = figures(client, staff, pages)
    year = after["years"][-1]
    assert (year["orders"], year["exporters"], year["export_volume_usd"]) == (2, 1, 1000.0)
    assert after["cross_border"]["by_country_pair"] == {
        "CA-US": {"introductions": 1, "share": 0.5}, "US-US": {"introductions": 1, "share": 0.5}}
    assert after["cross_border"]["share"] == 0.5
    assert after["filtered"]["CA"][1] == 1  # the new one only: the buyer was in the US before
    assert after["csv"] == {old: ("US", "US"), new: ("US", "CA")}
    stored = {i.id: (i.requester_country, i.target_country)
              for i in db.session.scalars(db.select(Introduction))}
    assert stored == {old: ("US", "US"), new: ("US", "CA")}


def kept_countries() -> set[tuple[str, str, str | None, str | None]]:
    """Return each introduction's kept countries beside its parties' profile countries."""
    return {(i.requester.country, i.target.country, i.requester_country, i.target_country)
            for i in db.session.scalars(db.select(Introduction))}


def test_staff_asking_on_behalf_keep_the_parties_countries(client, as_role, staff):
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer", **MONTREAL)
    request_intro(client, sme, buyer, headers=staff)
    assert kept_countries() == {("MX", "CA", "MX", "CA")}


def test_a_confirmed_cohort_keeps_the_parties_countries(client, as_role, staff):
    from tests.api.test_cohorts import URL, body, propose

    smes = [make_party(client, as_role, "sme", name=f"SME {n}") for n in range(2)]
    mentor = make_party(client, as_role, "mentor", capacity=2)
    proposal = propose(client, staff, body(smes, [mentor])).get_json()["id"]
    assert client.post(f"{URL}/{proposal}/confirm", headers=staff).status_code == 200
    assert kept_countries() == {("MX", "US", "MX", "US")}


def test_the_demo_history_keeps_the_parties_countries(runner):
    result = runner.invoke(args=["seed-demo", "--smes", "30", "--mentors", "10",
                                 "--buyers", "10", "--seed", "7"])
    assert result.exit_code == 0, result.output
    kept = kept_countries()
    assert kept and all(row[:2] == row[2:] for row in kept)
    assert any(row[2] != row[3] for row in kept)  # the history's cross-border pairs
