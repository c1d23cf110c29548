"""The rules of outcome ladders: which steps an introduction has, what each step carries,
and the order they come in. Plain rules over plain values: no database, no HTTP.

- **Trade** (SME↔buyer): met → samples_sent → quote_sent → order_placed → repeat_order (many),
  ended with a reason. Steps may be skipped (an order without a meeting), never taken back:
  a step earlier in the ladder than one already reported is refused, and so is anything after
  ``ended``. A repeat order needs an order first.
- **Mentorship** (SME↔mentor): sessions (many) and goals achieved (many), in any order,
  ended with a reason.

A disputed step does not count for the order: it may be reported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pycountry

from matcher.taxonomy.timezones import zone_of_place
from matcher.taxonomy.vocabulary import NEED_CODES
from models.outcomes import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    DISPUTED,
    MENTORSHIP_STAGES,
    TRADE_STAGES,
)
from webapp.errors import Problem

TRADE, MENTORSHIP = "trade", "mentorship"
LADDERS = {TRADE: TRADE_STAGES, MENTORSHIP: MENTORSHIP_STAGES}
LADDER_OF_KIND = {"sme_buyer": TRADE, "buyer_sme": TRADE, "sme_mentor": MENTORSHIP,
                  "mentor_sme": MENTORSHIP}
REPEATABLE = ("repeat_order", "session", "goal_achieved")
ORDERS = ("order_placed", "repeat_order")
# The fields each stage takes (all others must be left out), and those it requires.
STAGE_FIELDS = {
    "order_placed": ("amount", "currency"), "repeat_order": ("amount", "currency"),
    "session": ("minutes", "topics"), "goal_achieved": ("goal",), "ended": ("reason",),
}
REQUIRED = {"order_placed": ("amount", "currency"), "repeat_order": ("amount", "currency"),
            "session": ("minutes",), "goal_achieved": ("goal",), "ended": ("reason",)}
OPTIONAL_FIELDS = ("amount", "currency", "minutes", "topics", "goal", "reason")
# Below a trillion units of any currency: a larger order is a typo, not a trade.
MAX_AMOUNT = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES - 2)
MAX_MINUTES = 24 * 60
# ISO 4217 codes that are no money an order is paid in: the testing and "no currency" codes,
# precious metals, units of account and bond market units, and the fund codes.
NOT_MONEY = frozenset({
    "XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XUA", "XSU",
    "XAD", "USN", "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "UYI", "UYW",
})
CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies) - NOT_MONEY
# The grade a confirmed step gives its introduction (matcher.gate.GRADES): 2 for a meeting, a
# session or a step between the meeting and the order, 3 for an order or a goal, 4 for a repeat
# order. Declined is 0 and accepted 1; ``ended`` adds nothing.
STEP_GRADES = {"met": 2, "samples_sent": 2, "quote_sent": 2, "session": 2,
               "order_placed": 3, "goal_achieved": 3, "repeat_order": 4}


def ladder_of(kind: str) -> str:
    """Return the ladder (trade or mentorship) of an introduction kind."""
    return LADDER_OF_KIND[kind]


def field_problems(stage: str, values: dict[str, Any], ladder: str, earliest: date,
                   today: date) -> dict[str, list[Problem]]:
    """Return the problems of a reported step's fields, by field name (empty: valid)."""
    if stage not in LADDERS[ladder]:
        return {"stage": [Problem("stage_not_in_ladder", ladder=ladder,
                                  stages=list(LADDERS[ladder]))]}
    problems: dict[str, list[Problem]] = {}
    takes = STAGE_FIELDS.get(stage, ())
    for name in OPTIONAL_FIELDS:
        given = values.get(name) not in (None, [], "")
        if given and name not in takes:
            problems[name] = [Problem("not_for_stage", stage=stage)]
        elif not given and name in REQUIRED.get(stage, ()):
            problems[name] = [Problem("required_for_stage", stage=stage)]
    occurred = values["occurred_on"]
    if occurred > today:
        problems["occurred_on"] = [Problem("date_in_future")]
    elif occurred < earliest:
        problems["occurred_on"] = [Problem("date_before_introduction",
                                           date=earliest.isoformat())]
    for name, check in (("amount", amount_problem), ("currency", currency_problem),
                        ("minutes", minutes_problem), ("topics", topics_problem)):
        if name not in problems and values.get(name) not in (None, [], ""):
            if (problem := check(values[name])) is not None:
                problems[name] = [problem]
    return problems


def amount_problem(amount: Decimal) -> Problem | None:
    """Return what is wrong with an order's amount, or None."""
    if not amount.is_finite() or amount <= 0:
        return Problem("amount_not_positive")
    if amount >= MAX_AMOUNT:
        return Problem("amount_too_large", max=int(MAX_AMOUNT))
    if -amount.as_tuple().exponent > AMOUNT_PLACES:
        return Problem("too_many_decimals", num=AMOUNT_PLACES)
    return None


def currency_problem(currency: str) -> Problem | None:
    """Return a problem when the code is not an ISO 4217 currency (pycountry's list) that is
    money."""
    return None if currency in CURRENCIES else Problem("unknown_currency", code=currency)


def minutes_problem(minutes: int) -> Problem | None:
    """Return a problem when a session's length is not 1 to 1440 minutes."""
    return None if 1 <= minutes <= MAX_MINUTES else Problem("out_of_range", min=1,
                                                             max=MAX_MINUTES)


def topics_problem(topics: Iterable[str]) -> Problem | None:
    """Return a problem naming the topics that are not in the needs vocabulary."""
    unknown = sorted(set(topics) - set(NEED_CODES))
    return Problem("unknown_code", codes=unknown) if unknown else None


def order_refusal(stage: str, ladder: str, earlier: Iterable[str]) -> dict[str, Any] | None:
    """Return the refusal (code and params) of a step that breaks the ladder's order, or None.

    ``earlier`` are the stages of the steps already reported and not disputed.
    """
    stages = LADDERS[ladder]
    earlier = list(earlier)
    if "ended" in earlier:
        return {"code": "ladder_ended"}
    if stage not in REPEATABLE and stage in earlier:
        return {"code": "step_already_reported", "stage": stage}
    if stage == "repeat_order" and "order_placed" not in earlier:
        return {"code": "repeat_before_order"}
    # Repeat orders stand on the order: when it was disputed after them, it may be reported
    # again (the order only: a step before it stays out of order).
    passed = [s for s in earlier if not (stage == "order_placed" and s == "repeat_order")]
    reached = max((stages.index(s) for s in passed), default=-1)
    if ladder == TRADE and stage != "ended" and stages.index(stage) < reached:
        return {"code": "step_out_of_order", "stage": stage, "reached": stages[reached]}
    return None


def parties_day(instant: datetime, places: Iterable[tuple[str | None, str | None]]) -> date:
    """Return the day an instant fell on where the parties are (country, subdivision): the
    earlier of their days — a request at 9 p.m. in Mexico City is 03:00 UTC the next day."""
    if instant.tzinfo is None:  # SQLite keeps UTC without its offset
        instant = instant.replace(tzinfo=UTC)
    return min(instant.astimezone(ZoneInfo(zone_of_place(*place))).date() for place in places)


def date_problem(stage: str, occurred: date, ladder: str,
                 earlier: Iterable[tuple[str, date]]) -> Problem | None:
    """Return a problem when a trade step is dated before a step of an earlier stage (a
    repeat order before the order it repeats, a quote before the meeting), or None.

    ``earlier`` are the stages and days of the steps already reported and not disputed; the
    mentorship ladder's steps come in any order.
    """
    if ladder != TRADE:
        return None
    stages = LADDERS[ladder]
    before = [(day, s) for s, day in earlier if stages.index(s) < stages.index(stage)
              and day > occurred]
    if not before:
        return None
    day, previous = max(before)
    return Problem("date_before_earlier_step", stage=previous, date=day.isoformat())


def counting(steps: Iterable[Any]) -> list[Any]:
    """Return the steps that count for the ladder's order (not disputed)."""
    return [s for s in steps if s.status != DISPUTED]


def ladder_grade(confirmed_stages: Iterable[str]) -> int:
    """Return the grade reached by an introduction's confirmed steps (1: none beyond accepted)."""
    return max((STEP_GRADES.get(stage, 1) for stage in confirmed_stages), default=1)
