"""The impact report: only confirmed steps count; exporters, USD conversion, funnel, groups."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models import Introduction, OutcomeStep, db
from tests.intro_factories import act, make_party, request_intro
from webapp.services.usd_rates import documented_rates, ensure_documented_rates


@pytest.fixture
def staff(as_role):
    return as_role("coordinator")[1]


def accepted(client, as_role, kind="buyer", **changes):
    sme = make_party(client, as_role, "sme")
    other = make_party(client, as_role, kind, **changes)
    intro = request_intro(client, sme, other)
    assert act(client, other, intro["id"], "accept").status_code == 200
    return sme, other, intro["id"]


def backdate(intro_id: int, when: datetime) -> None:
    """Move an introduction (and its acceptance) into the past, as history would have it."""
    intro = db.session.get(Introduction, intro_id)
    intro.created_at = intro.responded_at = when
    db.session.commit()


def confirmed_step(client, reporter, confirmer, intro_id, **body) -> dict:
    step = client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=reporter.headers,
                       json=body)
    assert step.status_code == 201, step.get_json()
    done = client.post(f"/api/v1/introductions/{intro_id}/outcomes/{step.get_json()['id']}"
                       "/confirm", headers=confirmer.headers, json={})
    assert done.status_code == 200
    return done.get_json()


def impact(client, staff, **query):
    response = client.get("/api/v1/impact", headers=staff, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def year_of(report, year):
    return next(y for y in report["years"] if y["year"] == year)


def test_only_confirmed_cross_border_orders_make_exporters_converted_to_usd(client, as_role,
                                                                           staff):
    ensure_documented_rates()
    sme, buyer, intro_id = accepted(client, as_role)  # MX SME, US buyer
    backdate(intro_id, datetime(2023, 2, 1, tzinfo=UTC))
    confirmed_step(client, buyer, sme, intro_id, stage="order_placed",
                   occurred_on="2023-03-01", amount="177334", currency="MXN")
    # a second, unconfirmed order counts nowhere
    client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=sme.headers,
                json={"stage": "repeat_order", "occurred_on": "2023-06-01",
                      "amount": "999999", "currency": "MXN"})
    report = impact(client, staff)
    y2023 = year_of(report, 2023)
    assert y2023["exporters"] == 1 and y2023["orders"] == 1
    assert y2023["export_volume_usd"] == pytest.approx(10000.00)  # 177334 / 17.7334
    assert report["funnel"]["order_placed"] == 1 and report["funnel"]["repeat_order"] == 0
    assert report["funnel"]["met"] == 1  # reached a later step: skipped, still past it
    assert report["median_days"]["order_placed"] == 28
    assert report["by_country"]["MX"]["exporters"] == 1
    assert report["by_source"]["self_requested"]["orders"] == 1
    assert report["by_source"]["cohort"]["orders"] == 0


def test_a_domestic_order_is_an_order_but_not_an_export(client, as_role, staff):
    sme, buyer, intro_id = accepted(client, as_role, country="MX", subdivision="MX-NLE",
                                    city="Monterrey")
    confirmed_step(client, buyer, sme, intro_id, stage="order_placed",
                   occurred_on=date.today().isoformat(), amount="5000", currency="MXN")
    this_year = year_of(impact(client, staff), date.today().year)
    assert (this_year["orders"], this_year["exporters"], this_year["export_volume_usd"]) == (
        1, 0, 0)


def test_a_year_without_a_rate_is_reported_unconverted_with_a_warning(client, as_role, staff):
    sme, buyer, intro_id = accepted(client, as_role)
    today = date.today()
    confirmed_step(client, sme, buyer, intro_id, stage="order_placed",
                   occurred_on=today.isoformat(), amount="2500.75", currency="CAD")
    report = impact(client, staff, lang="es")
    figures = year_of(report, today.year)
    assert figures["export_volume_usd"] == 0
    assert figures["unconverted"] == {"CAD": "2500.7500"}
    assert [w["params"] for w in report["warnings"]] == [
        {"year": today.year, "currency": "CAD"}]
    assert report["warnings"][0]["message"].startswith("No hay tipo de cambio")


def test_sessions_hours_goals_and_filters(client, as_role, staff):
    sme, mentor, intro_id = accepted(client, as_role, kind="mentor")
    today = date.today().isoformat()
    for minutes in (60, 30):
        confirmed_step(client, sme, mentor, intro_id, stage="session", occurred_on=today,
                       minutes=minutes)
    confirmed_step(client, sme, mentor, intro_id, stage="goal_achieved", occurred_on=today,
                   goal="certification_obtained")
    figures = year_of(impact(client, staff), date.today().year)
    assert (figures["mentoring_sessions"], figures["mentoring_hours"]) == (2, 1.5)
    assert figures["goals_achieved"] == {"certification_obtained": 1}
    assert impact(client, staff, pairing="trade")["funnel"]["introduced"] == 0
    assert impact(client, staff, country="US")["years"] == []


def test_the_report_is_for_staff_and_refuses_unknown_filters(client, as_role, staff):
    sme = make_party(client, as_role, "sme")
    refused = client.get("/api/v1/impact", headers=sme.headers)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "staff_only_impact"
    bad = client.get("/api/v1/impact", headers=staff, query_string={"pairing": "romance"})
    assert bad.status_code == 422 and "pairing" in bad.get_json()["error"]["fields"]
    reversed_years = client.get("/api/v1/impact", headers=staff,
                                query_string={"from": 2030, "to": 2020})
    assert reversed_years.status_code == 422
    assert [p["code"] for p in reversed_years.get_json()["error"]["fields"]["to"]] == [
        "not_before"]
    assert db.session.query(OutcomeStep).count() == 0


def test_an_admin_sets_a_years_rate_with_its_source_and_the_report_uses_it(client, as_role,
                                                                           staff):
    sme, buyer, intro_id = accepted(client, as_role)
    year = date.today().year
    confirmed_step(client, sme, buyer, intro_id, stage="order_placed",
                   occurred_on=date.today().isoformat(), amount="2700", currency="CAD")
    _, admin = as_role("admin")
    url = f"/api/v1/impact/rates/{year}/CAD"
    body = {"units_per_usd": "1.35", "source": "Bank of Canada annual average"}
    assert client.put(url, headers=staff, json=body).status_code == 403
    for code in ("ABC", "XAU", "USN"):
        bad = client.put(f"/api/v1/impact/rates/{year}/{code}", headers=admin, json=body)
        assert bad.status_code == 422 and "currency" in bad.get_json()["error"]["fields"]
    negative = client.put(url, headers=admin, json={**body, "units_per_usd": "-1"})
    assert negative.status_code == 422
    assert client.put(url, headers=admin, json=body).status_code == 200
    listed = client.get("/api/v1/impact/rates", headers=staff).get_json()["items"]
    assert [(r["year"], r["currency"], r["source"]) for r in listed] == [
        (year, "CAD", "Bank of Canada annual average")]
    report = impact(client, staff)
    assert year_of(report, year)["export_volume_usd"] == 2000.0
    assert report["warnings"] == []


def test_the_demos_orders_all_convert_to_dollars(app, client, staff):
    from webapp.services import accounts, demo_history, demo_seed

    demo_seed.seed_profiles(smes=60, mentors=20, buyers=30, seed=5)
    logins = demo_seed.ensure_demo_users()
    coordinator = accounts.find_user_by_email(
        next(email for email, role, _ in logins if role == "coordinator"))
    assert demo_history.seed_program_history(coordinator, seed=5).outcome_steps > 0
    report = impact(client, staff)
    orders = db.session.execute(db.select(OutcomeStep.currency, OutcomeStep.occurred_on).where(
        OutcomeStep.status == "confirmed", OutcomeStep.currency.is_not(None))).all()
    currencies = {currency for currency, _ in orders}
    # the buyers' own currencies (which ones the simulated history reaches follows the ranking)
    assert currencies <= {"CAD", "USD", "MXN"} and currencies - {"USD"}
    assert sum(y["orders"] for y in report["years"]) == len(orders)
    assert sum(y["export_volume_usd"] for y in report["years"]) > 0
    # Every year the packaged rates cover converts (the demo is dated relative to today: a
    # year after the history would rightly be reported unconverted, never guessed).
    covered = max(row["year"] for row in documented_rates())
    assert [w for w in report["warnings"] if w["params"]["year"] <= covered] == []
    assert [y["year"] for y in report["years"] if y.get("unconverted")
            and y["year"] <= covered] == []
