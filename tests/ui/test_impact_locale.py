"""The impact and rates pages write amounts and rates as the reader's language writes numbers,
and word the seeded rates' sources in it (an admin's source stays as typed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from models import UsdRate, db
from tests.api.test_impact import confirmed_step
from tests.ui.helpers import field_errors
from tests.ui.test_impact_page import accepted, page, table
from tests.ui.test_usd_rates_page import EN, csrf_of, rows
from webapp.services.usd_rates import ensure_documented_rates, source_text


def rate(year: int, currency: str, units: str, source: str = "Banco de México") -> None:
    db.session.add(UsdRate(year=year, currency=currency, units_per_usd=Decimal(units),
                           source=source))
    db.session.commit()


def test_amounts_on_the_impact_page_are_written_for_the_reader(client, as_role, signed_in):
    today = date.today()
    rate(today.year, "MXN", "10")
    for amount, currency in (("256663.40", "MXN"), ("500", "EUR")):  # EUR: no rate
        sme, buyer, intro = accepted(client, as_role)
        confirmed_step(client, buyer, sme, intro, stage="order_placed",
                       occurred_on=today.isoformat(), amount=amount, currency=currency)
    signed_in("coordinator")
    volume = {lang: table(page(client, f"?lang={lang}", headers={}), "years")[0][2]
              for lang in ("en", "es", "fr")}
    assert volume == {"en": "25,666.34 + 500.00 EUR not converted",
                      "es": "25,666.34 + 500.00 EUR sin convertir",
                      "fr": "25 666,34 + 500,00 EUR non convertis"}  # spaces collapsed


def test_rates_are_written_for_the_reader(client, signed_in):
    rate(2026, "CAD", "1.3885")
    rate(2025, "XCD", "0.9")
    signed_in("coordinator")
    shown = {lang: [row[2] for row in rows(client.get(f"/impact/rates?lang={lang}")
                                           .get_data(as_text=True))]
             for lang in ("en", "es", "fr")}
    assert shown == {"en": ["1.3885", "0.9"], "es": ["1.3885", "0.9"],
                     "fr": ["1,3885", "0,9"]}


def test_seeded_sources_are_worded_in_the_readers_language(client, signed_in):
    ensure_documented_rates()
    rate(2019, "MXN", "19.2", "Banco de México, FIX, promedio 2019")
    stored = {(r.year, r.currency): r for r in db.session.scalars(db.select(UsdRate))}
    assert stored[2023, "CAD"].source_code == "fed_g5a"
    assert stored[2025, "MXN"].source_code == "ecb_yearly_mean"
    assert stored[2019, "MXN"].source_code is None
    signed_in("coordinator")
    for lang in ("en", "es", "fr"):
        table_ = {(r[0], r[1]): r[3] for r in rows(client.get(f"/impact/rates?lang={lang}")
                                                   .get_data(as_text=True))}
        assert table_["2025", "MXN"] == source_text(stored[2025, "MXN"], lang)
        assert table_["2023", "CAD"] == source_text(stored[2023, "CAD"], lang)
        assert table_["2019", "MXN"] == "Banco de México, FIX, promedio 2019"  # as typed


def test_an_admin_typing_usd_is_told_next_to_the_currency(client, signed_in):
    signed_in("admin")
    html = client.get("/impact/rates", headers=EN).get_data(as_text=True)
    response = client.post("/impact/rates", headers=EN, data={
        "csrf_token": csrf_of(html), "year": "2026", "currency": "usd", "units_per_usd": "2",
        "source": "abc"})
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "currency") == [
        "USD needs no rate: the report counts in US dollars (one US dollar is always 1 USD)."]
    assert db.session.scalar(db.select(UsdRate).where(UsdRate.currency == "USD")) is None
