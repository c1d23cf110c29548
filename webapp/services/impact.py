"""The program's impact report: what confirmed outcome steps add up to, by year and group.

Definitions (the README's "Outcomes" section says the same):
- an **exporter** is an SME with at least one confirmed order (``order_placed`` or
  ``repeat_order``) from a buyer in another country in that year (the step's ``occurred_on``);
  the countries are the parties' when the introduction was made
  (``introductions.requester_country``, ``target_country``), so a party that moves later
  neither makes its past domestic orders exports nor its past exports domestic;
- **export volume** is the sum of those cross-border orders in US dollars, each amount divided
  by its year's average rate (``usd_rates``); an amount whose year has no rate is reported
  unconverted (``unconverted``) with a ``no_usd_rate`` warning, never guessed;
- **orders** count every confirmed order, domestic ones too;
- each ladder has its own **funnel**, over its own introductions: ``funnel`` the trade ladder's
  (SME↔buyer introductions created in the period, those accepted, and those that reached each
  trade step, or a later one — steps may be skipped — with a confirmed step),
  ``mentorship_funnel`` the mentorship ladder's (SME↔mentor introductions, accepted, with a
  confirmed session, with a confirmed goal achieved — a goal counts past the session step);
  a mentorship introduction never reaches a trade step, so the two are never mixed;
- groups by **ownership** read the SME's groups as the introduction kept them when it was made
  (``introductions.sme_ownership``), so a retired profile's figures stay in its group; groups
  by **country** (and the country filter) read the SME's country as the introduction kept it;
- **median days** run from the acceptance to the first confirmed step of each stage.
Only confirmed steps count; reported and disputed ones do not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy.orm import selectinload

from models import CohortProposal, Introduction, OutcomeStep, User, db
from models.introductions import ACCEPTED, COMPLETED, ownership_groups
from models.outcomes import CONFIRMED, MENTORSHIP_STAGES, TRADE_STAGES
from webapp import catalogue, policy
from webapp.errors import Forbidden
from webapp.services.outcome_ladder import LADDERS, MENTORSHIP, ORDERS, TRADE, ladder_of
from webapp.services.usd_rates import BASE_CURRENCY, rate_table

# The report's key of each ladder's funnel, and the ladder's steps (``ended`` is no step up).
FUNNELS = {"funnel": TRADE, "mentorship_funnel": MENTORSHIP}
TIMED_STAGES = TRADE_STAGES[:-1] + MENTORSHIP_STAGES[:-1]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Fact:
    """One confirmed step with what the report groups it by."""

    step: OutcomeStep
    intro: Introduction
    sme_id: int | None
    cross_border: bool


def impact_report(user: User, args: dict[str, Any]) -> dict[str, Any]:
    """Return the impact report for program staff (filters: from, to, country, ownership,
    pairing, source)."""
    if not policy.may_see_impact(user):
        raise Forbidden("staff_only_impact")
    cohort = _cohort_introduction_ids()
    intros = [i for i in _introductions() if _matches(i, args, cohort)]
    every_fact = _facts(intros)  # a funnel follows its introductions past the period
    facts = [f for f in every_fact if _in_years(f.step.occurred_on.year, args)]
    rates = rate_table()
    years = sorted({f.step.occurred_on.year for f in facts}
                   | {i.created_at.year for i in intros if _in_years(i.created_at.year, args)})
    first, last = args.get("from_", years[0] if years else None), args.get("to")
    span = range(first, (last or (years[-1] if years else first)) + 1) if first else []
    warnings: list[dict[str, Any]] = []
    created = [i for i in intros if _in_years(i.created_at.year, args)]
    report = {
        "years": [{"year": y, **_figures([f for f in facts if f.step.occurred_on.year == y],
                                         rates, warnings)} for y in span],
        **{key: _funnel([i for i in created if ladder_of(i.kind) == ladder], every_fact,
                        LADDERS[ladder][:-1]) for key, ladder in FUNNELS.items()},
        "median_days": _median_days(facts),
        "by_country": _grouped(facts, rates, lambda f: [_countries(f.intro)[0]]),
        "by_ownership": _grouped(facts, rates, lambda f: _ownership(f.intro) or ["none"]),
        "by_source": _grouped(facts, rates, lambda f: [_source(f.intro, cohort)]),
    }
    for key in ("self_requested", "cohort"):
        report["by_source"].setdefault(key, _figures([], rates, []))
    report["warnings"] = _rendered(warnings)
    return report


def _introductions() -> list[Introduction]:
    return list(db.session.scalars(db.select(Introduction).options(
        selectinload(Introduction.outcomes), selectinload(Introduction.requester),
        selectinload(Introduction.target)).order_by(Introduction.id)))


def _sme(intro: Introduction):
    return intro.requester if intro.requester.kind == "sme" else intro.target


def _countries(intro: Introduction) -> tuple[str, str]:
    """Return the SME's country and the other party's as the introduction kept them when it
    was made (the profiles' for a row written without the ORM, which kept none)."""
    requester = intro.requester_country or intro.requester.country
    target = intro.target_country or intro.target.country
    return (requester, target) if intro.requester.kind == "sme" else (target, requester)


def _ownership(intro: Introduction) -> list[str]:
    """Return the SME's ownership groups as the introduction kept them when it was made."""
    if intro.sme_ownership is None:  # a row written without the ORM
        return list(_sme(intro).ownership or [])
    return ownership_groups(intro.sme_ownership)


def _source(intro: Introduction, cohort: set[int]) -> str:
    return "cohort" if intro.id in cohort else "self_requested"


def _matches(intro: Introduction, args: dict[str, Any], cohort: set[int]) -> bool:
    return (args.get("pairing") in (None, ladder_of(intro.kind))
            and args.get("source") in (None, _source(intro, cohort))
            and args.get("country") in (None, _countries(intro)[0])
            and (args.get("ownership") is None
                 or args["ownership"] in (_ownership(intro) or ["none"])))


def _in_years(year: int, args: dict[str, Any]) -> bool:
    return args.get("from_", year) <= year <= args.get("to", year)


def _facts(intros: Iterable[Introduction]) -> list[Fact]:
    facts = []
    for intro in intros:
        sme_id, (sme_country, other_country) = _sme(intro).id, _countries(intro)
        for step in intro.outcomes:
            if step.status == CONFIRMED:
                facts.append(Fact(step, intro, sme_id, other_country != sme_country))
    return facts


def _cohort_introduction_ids() -> set[int]:
    ids: set[int] = set()
    for result in db.session.scalars(db.select(CohortProposal.result)):
        for pair in ((result or {}).get("confirmation") or {}).get("created", []):
            ids.add(pair["introduction_id"])
    return ids


def _figures(facts: list[Fact], rates: dict, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the Dialogue's figures of a set of confirmed steps."""
    orders = [f for f in facts if f.step.stage in ORDERS]
    exports = [f for f in orders if f.cross_border]
    volume, unconverted = Decimal(0), defaultdict(Decimal)
    for fact in exports:
        usd = _to_usd(fact.step, rates)
        if usd is None:
            unconverted[fact.step.currency] += fact.step.amount
            warnings.append({"year": fact.step.occurred_on.year,
                             "currency": fact.step.currency})
        else:
            volume += usd
    sessions = [f.step for f in facts if f.step.stage == "session"]
    goals: dict[str, int] = defaultdict(int)
    for fact in facts:
        if fact.step.stage == "goal_achieved":
            goals[fact.step.goal] += 1
    return {"exporters": len({f.sme_id for f in exports}),
            "export_volume_usd": float(volume.quantize(CENT)),
            "unconverted": {c: format(a, "f") for c, a in sorted(unconverted.items())},
            "orders": len(orders), "mentoring_sessions": len(sessions),
            "mentoring_hours": round(sum(s.minutes or 0 for s in sessions) / 60, 2),
            "goals_achieved": dict(sorted(goals.items()))}


def _to_usd(step: OutcomeStep, rates: dict) -> Decimal | None:
    if step.currency == BASE_CURRENCY:
        return step.amount
    rate = rates.get((step.occurred_on.year, step.currency))
    return None if rate is None else step.amount / rate


def _grouped(facts: list[Fact], rates: dict, keys_of) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        for key in keys_of(fact):
            groups[key].append(fact)
    return {key: _figures(group, rates, []) for key, group in sorted(groups.items())}


def _funnel(intros: list[Introduction], facts: list[Fact],
            stages: tuple[str, ...]) -> dict[str, int]:
    """Return one ladder's funnel over its introductions: introduced, accepted, then each of
    its ``stages`` reached (that step or a later one confirmed)."""
    reached: dict[int, int] = {}
    for fact in facts:
        if fact.step.stage in stages:
            rank = stages.index(fact.step.stage)
            reached[fact.intro.id] = max(rank, reached.get(fact.intro.id, -1))
    ids = {i.id for i in intros}
    funnel = {"introduced": len(intros),
              "accepted": sum(i.state in (ACCEPTED, COMPLETED) for i in intros)}
    for rank, stage in enumerate(stages):
        funnel[stage] = sum(1 for i, r in reached.items() if i in ids and r >= rank)
    return funnel


def _median_days(facts: list[Fact]) -> dict[str, float]:
    first: dict[tuple[int, str], int] = {}
    for fact in facts:
        if fact.step.stage in TIMED_STAGES and fact.intro.responded_at is not None:
            # a step dated on the parties' day before the UTC day of the acceptance (or
            # before the acceptance) happened by then: 0 days, never a negative delay
            days = max(0, (fact.step.occurred_on - fact.intro.responded_at.date()).days)
            key = (fact.intro.id, fact.step.stage)
            first[key] = min(days, first.get(key, days))
    return {stage: median(d for (_, s), d in first.items() if s == stage)
            for stage in TIMED_STAGES if any(s == stage for _, s in first)}


def _rendered(warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = sorted({(w["year"], w["currency"]) for w in warnings})
    return [{"code": "no_usd_rate", "params": {"year": y, "currency": c}} for y, c in seen]


def render_warnings(report: dict[str, Any], locale: str) -> dict[str, Any]:
    """Return the report with each warning's message in the reader's language."""
    report["warnings"] = [{**w, "message": catalogue.describe(w["code"], locale, **w["params"])}
                          for w in report["warnings"]]
    return report
