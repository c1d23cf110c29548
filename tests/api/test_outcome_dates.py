"""Days in the API are written YYYY-MM-DD, as the README documents: an outcome step's
``occurred_on`` and the days that bound a period (``from``/``to``, ``created_from``/
``created_to``). Python's own parser also reads "20261207" and week dates ("2026-W50-1"),
which were taken silently; they are refused naming the field, and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func

from models import OutcomeStep, db
from tests.factories import today
from tests.intro_factories import act, make_party, request_intro


@pytest.fixture
def trade(client, as_role):
    """An SME and a buyer whose introduction the buyer accepted."""
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    assert act(client, buyer, intro["id"], "accept").status_code == 200
    return sme, intro["id"]


def other_spellings(day: date) -> list:
    """Return ``day`` written every way but YYYY-MM-DD that Python's parser might read."""
    year, week, weekday = day.isocalendar()
    return [day.strftime("%Y%m%d"), f"{year}-W{week:02d}-{weekday}",
            f"{year}W{week:02d}{weekday}", f"{day.year}-{day.month}-{day.day}",
            f"{day.isoformat()}T00:00:00", f" {day.isoformat()}", f"{day.isoformat()}\n",
            int(day.strftime("%Y%m%d"))]


def report(client, party, intro_id, occurred_on):
    return client.post(f"/api/v1/introductions/{intro_id}/outcomes", headers=party.headers,
                       json={"stage": "met", "occurred_on": occurred_on})


def steps() -> int:
    return db.session.scalar(db.select(func.count()).select_from(OutcomeStep))


@pytest.mark.parametrize("index", range(8))
def test_a_step_dated_otherwise_than_yyyy_mm_dd_is_refused_naming_the_field(client, trade,
                                                                            index):
    sme, intro_id = trade
    typed = other_spellings(date.fromisoformat(today()))[index]
    response = report(client, sme, intro_id, typed)
    assert response.status_code == 422, (typed, response.get_json())
    [problem] = response.get_json()["error"]["fields"]["occurred_on"]
    assert problem["code"] == "invalid_date"
    assert problem["message"] == "Enter a date as YYYY-MM-DD."
    assert steps() == 0


def test_a_step_dated_yyyy_mm_dd_is_taken(client, trade):
    sme, intro_id = trade
    response = report(client, sme, intro_id, today())
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["occurred_on"] == today()


@pytest.mark.parametrize(("path", "field"), [
    ("/api/v1/metrics?from={day}", "from"), ("/api/v1/metrics?to={day}", "to"),
    ("/api/v1/introductions?created_from={day}", "created_from"),
    ("/api/v1/introductions?created_to={day}", "created_to"),
    ("/api/v1/audit?from={day}", "from"), ("/api/v1/audit?to={day}", "to"),
])
@pytest.mark.parametrize("typed", ["20260301", "2026-W09-7"])
def test_a_period_bounded_by_a_day_not_written_yyyy_mm_dd_is_refused(client, as_role, path,
                                                                     field, typed):
    _, admin = as_role("admin")
    response = client.get(path.format(day=typed), headers=admin)
    assert response.status_code == 422, response.get_json()
    assert [p["code"] for p in response.get_json()["error"]["fields"][field]] == [
        "invalid_date"]
    assert client.get(path.format(day="2026-03-01"), headers=admin).status_code == 200


@pytest.mark.parametrize("written", ["20991207", "2099-W50-1", "2099-12-7"])
def test_a_pause_end_not_written_yyyy_mm_dd_is_refused(client, as_role, written):
    from tests.factories import payload

    _, mentor = as_role("mentor")
    created = client.post("/api/v1/mentors", json=payload("mentor"), headers=mentor)
    assert created.status_code == 201
    url = f"/api/v1/mentors/{created.get_json()['id']}"
    response = client.patch(url, json={"paused_until": written}, headers=mentor)
    assert response.status_code == 422
    assert "paused_until" in response.get_json()["error"]["fields"]
    ok = client.patch(url, json={"paused_until": "2099-12-07"}, headers=mentor)
    assert ok.status_code == 200 and ok.get_json()["paused_until"] == "2099-12-07"
