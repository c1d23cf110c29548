"""Simulated outcome ladders for the demo, so the impact report has content.

Mentorship: each accepted cohort introduction gets a few sessions (most one or two), a few
reach a goal, some end without reply. Trade: Mexican SMEs are introduced to buyers in the US
and Canada (requested and accepted through the real use cases, as staff for unowned
profiles), and most ladders stop early: about half meet, fewer send samples or a quote, a few
reach an order and fewer a repeat order, in USD, MXN or CAD. The steps are history written as
it would have been (dated in the past, confirmed by the other side); a few stay reported,
unconfirmed, as they would in a live program.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from models import Introduction, OutcomeStep, Profile, User, db, utcnow
from models.introductions import ACCEPTED
from models.outcomes import CONFIRMED, REPORTED
from webapp.errors import PuenteError
from webapp.services import introduction_states, introductions
from webapp.services.transactions import write_transaction
from webapp.services.usd_rates import ensure_documented_rates

TRADE_PAIRS = 40
# The chance of going on to each next trade step, having reached the previous one.
TRADE_ODDS = (("met", 0.55), ("samples_sent", 0.6), ("quote_sent", 0.6),
              ("order_placed", 0.55), ("repeat_order", 0.4))
TOPICS = ("export_regulations", "financing", "logistics", "certification")
GOALS = ("certification_obtained", "first_export", "financing_obtained")
CURRENCY = {"US": "USD", "CA": "CAD", "MX": "MXN"}
TYPICAL_ORDER_USD = 18_000
ROUGH_UNITS_PER_USD = {"USD": 1, "CAD": Decimal("1.37"), "MXN": Decimal("18.5")}


def seed_outcomes(coordinator: User, rng: random.Random, start: datetime) -> int:
    """Add ladders to the accepted mentorships and to new trade introductions; return the
    number of steps written."""
    ensure_documented_rates()
    trade_ids = _trade_introductions(coordinator, rng, start)
    accepted = db.session.scalars(db.select(Introduction).where(
        Introduction.state == ACCEPTED).order_by(Introduction.id)).all()
    steps = 0
    with write_transaction():
        for intro in accepted:
            ladder = _trade_ladder if intro.id in trade_ids else _mentorship_ladder
            for step in ladder(intro, rng):
                db.session.add(step)
                steps += 1
    return steps


def _trade_introductions(coordinator: User, rng: random.Random, start: datetime) -> set[int]:
    smes = _profiles("sme", ("MX",))
    buyers = _profiles("buyer", ("US", "CA"))
    created: set[int] = set()
    for _ in range(min(TRADE_PAIRS, len(smes), len(buyers))):
        sme, buyer = rng.choice(smes), rng.choice(buyers)
        try:
            intro = introductions.create_introduction(
                coordinator, {"requester_id": sme.id, "target_id": buyer.id, "message": ""},
                now=start + timedelta(days=rng.uniform(0, 20)))
            introduction_states.accept(coordinator, intro.id,
                                       now=intro.created_at + timedelta(days=rng.uniform(1, 5)))
        except PuenteError:  # a pair introduced already, or a party with its own account
            continue
        created.add(intro.id)
    return created


def _profiles(kind: str, countries: tuple[str, ...]) -> list[Profile]:
    return list(db.session.scalars(db.select(Profile).where(
        Profile.kind == kind, Profile.active.is_(True), Profile.user_id.is_(None),
        Profile.country.in_(countries)).order_by(Profile.id)))


def _step(intro: Introduction, stage: str, on: date, rng: random.Random, **values
          ) -> OutcomeStep:
    reporter = rng.choice((intro.requester_id, intro.target_id))
    status = REPORTED if rng.random() < 0.15 else CONFIRMED
    return OutcomeStep(introduction_id=intro.id, stage=stage, occurred_on=on, status=status,
                       reported_for_id=reporter, topics=values.pop("topics", []),
                       answered_at=utcnow() if status == CONFIRMED else None, **values)


def _days_after(intro: Introduction, rng: random.Random, low: float, high: float,
                after: date | None = None) -> date | None:
    base = after or intro.responded_at.date()
    on = base + timedelta(days=round(rng.uniform(low, high)))
    return on if on <= utcnow().date() else None


def _trade_ladder(intro: Introduction, rng: random.Random) -> list[OutcomeStep]:
    steps, on = [], None
    currency = CURRENCY[(intro.target if intro.target.kind == "buyer" else
                         intro.requester).country]
    for stage, odds in TRADE_ODDS:
        if rng.random() > odds or (on := _days_after(intro, rng, 3, 14, on)) is None:
            break
        values = {}
        if stage in ("order_placed", "repeat_order"):
            usd = Decimal(rng.lognormvariate(0, 0.6) * TYPICAL_ORDER_USD)
            values = {"amount": (usd * ROUGH_UNITS_PER_USD[currency]).quantize(Decimal(1)),
                      "currency": currency}
        steps.append(_step(intro, stage, on, rng, **values))
    return steps


def _mentorship_ladder(intro: Introduction, rng: random.Random) -> list[OutcomeStep]:
    steps, on = [], None
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
        if (on := _days_after(intro, rng, 5, 12, on)) is None:
            break
        steps.append(_step(intro, "session", on, rng, minutes=rng.choice((30, 45, 60, 90)),
                           topics=[rng.choice(TOPICS)]))
    if on is not None and rng.random() < 0.2:
        steps.append(_step(intro, "goal_achieved", on, rng, goal=rng.choice(GOALS)))
    return steps
