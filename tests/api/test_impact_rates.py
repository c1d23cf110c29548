"""Setting a year's US dollar rate: US dollars take none; a currency is read in any case."""

from __future__ import annotations

from datetime import date

import pytest

from models import UsdRate, db
from tests.api.test_impact import accepted, confirmed_step, impact, year_of

BODY = {"units_per_usd": "2", "source": "abc"}


@pytest.fixture
def admin(as_role):
    return as_role("admin")[1]


@pytest.mark.parametrize("code", ["USD", "usd"])
def test_a_rate_for_us_dollars_is_refused_naming_the_currency(client, admin, code):
    response = client.put(f"/api/v1/impact/rates/2026/{code}", headers=admin, json=BODY)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert [p["code"] for p in error["fields"]["currency"]] == ["rate_of_the_base_currency"]
    assert error["fields"]["currency"][0]["params"] == {"code": "USD"}
    assert "USD" in error["fields"]["currency"][0]["message"]
    assert db.session.scalar(db.select(UsdRate).where(UsdRate.currency == "USD")) is None


def test_a_currency_in_lower_case_is_read_as_its_code(client, as_role, admin):
    staff = as_role("coordinator")[1]
    sme, buyer, intro_id = accepted(client, as_role)
    today = date.today()
    confirmed_step(client, sme, buyer, intro_id, stage="order_placed",
                   occurred_on=today.isoformat(), amount="2700",
                   currency="cad")  # the outcome API reads "cad" as CAD
    response = client.put(f"/api/v1/impact/rates/{today.year}/cad", headers=admin,
                          json={"units_per_usd": "1.35", "source": "Bank of Canada"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["currency"] == "CAD"
    assert year_of(impact(client, staff), today.year)["export_volume_usd"] == 2000.0
