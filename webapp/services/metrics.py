"""Program metrics over introductions: outcomes, calibration, reach and mentor load.

Definitions (over the introductions created in the period, of the kind, with a party in the
country asked for):

* a party's *country* is the one the introduction kept when it was made
  (``introductions.requester_country``, ``target_country``): a *cross-border* pair, the
  acceptance by SME country and the country filter do not move when a party moves later
  (mentor utilisation, about the mentors now, reads their profiles);

* *decided*: accepted, completed, declined or expired (requested and withdrawn ones are not);
  the *acceptance rate* is (accepted + completed) / decided, ``None`` when nothing is decided;
* *time to answer*: ``responded_at − created_at`` of the answered ones, in hours;
* *score decile* ``d`` holds scores in ``[d/10, (d+1)/10)`` (a score of 1.0 in the last);
* the SME of an introduction is whichever party is an SME; an SME declaring several ownership
  groups counts in each, one declaring none in ``none``; the groups are those the
  introduction kept when it was made (``introductions.sme_ownership``), so an introduction
  stays in its group after its SME's profile is retired and its ownership erased;
* *mentor utilisation*: the sum of active mentors' loads over the sum of their capacities;
* *by state over time*: the introductions created in each period, by their current state.
  The range runs from the ``from`` filter (else the first creation day) to the ``to`` filter
  (else the last creation day), both in UTC; it is cut into days when it spans at most 31
  days (both ends included), into ISO weeks (starting on Monday) when at most 53 weeks (371
  days), else into calendar months; every period from the first to the last is listed, empty
  or not, each by its first day.

Ranking quality is defined in :mod:`webapp.services.ranking_quality`, exposure in
:mod:`webapp.services.exposure`, outcome rates by score decile in
:mod:`webapp.services.outcome_rates`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, timedelta
from typing import Any

from sqlalchemy import func

from models import INTRODUCTION_STATES, Introduction, ModelVersion, Profile, User, db, utcnow
from models.introductions import ACCEPTED, COMPLETED, DECLINED, EXPIRED, ownership_groups
from webapp import policy
from webapp.errors import Forbidden
from webapp.services.exposure import exposure_metrics
from webapp.services.intro_rows import IntroRow, Party, introductions_in
from webapp.services.outcome_rates import outcomes_by_score_decile
from webapp.services.periods import within_period
from webapp.services.ranking_quality import ranking_quality

POSITIVE = (ACCEPTED, COMPLETED)
DECIDED = (ACCEPTED, COMPLETED, DECLINED, EXPIRED)


def program_metrics(user: User, filters: dict[str, Any]) -> dict[str, Any]:
    """Return the program's metrics for the filters (``from``, ``to``, ``country``, ``kind``)."""
    if not policy.may_see_program(user):
        raise Forbidden("staff_only_metrics")
    intros = introductions_in(filters)
    decided = [i for i in intros if i.state in DECIDED]
    return {
        "filters": {k: (v.isoformat() if isinstance(v, date) else v)
                    for k, v in filters.items()},
        "introductions": len(intros),
        "by_state": {s: sum(1 for i in intros if i.state == s) for s in INTRODUCTION_STATES},
        "acceptance_rate": _rate(decided),
        "median_hours_to_answer": _median_hours(intros),
        "acceptance_by_score_decile": _by_decile(decided),
        "outcomes_by_score_decile": outcomes_by_score_decile(decided),
        "cross_border": _cross_border(intros),
        "acceptance_by_sme_country": _grouped(decided, lambda sme: [sme.country]),
        "acceptance_by_ownership": _by_ownership(decided, filters),
        "mentor_utilisation": _utilisation(filters.get("country")),
        "model": _model(),
        "by_state_over_time": _over_time(intros, filters),
        "ranking_quality": ranking_quality(intros),
        "exposure": exposure_metrics(filters),
    }


def state_summary(stale_days: int) -> dict[str, Any]:
    """Return the whole program's introductions by state, its acceptance rate (as above, over
    all time) and the requests unanswered for more than ``stale_days``, oldest first."""
    counts = dict(db.session.execute(
        db.select(Introduction.state, func.count()).group_by(Introduction.state)).all())
    accepted = sum(counts.get(s, 0) for s in POSITIVE)
    decided = sum(counts.get(s, 0) for s in DECIDED)
    stale = db.session.scalars(db.select(Introduction).where(
        Introduction.state == "requested",
        Introduction.created_at < utcnow() - timedelta(days=stale_days))
        .order_by(Introduction.created_at)).all()
    return {"by_state": {s: counts.get(s, 0) for s in INTRODUCTION_STATES},
            "acceptance_rate": accepted / decided if decided else None, "stale": list(stale)}


def _rate(intros: list[IntroRow]) -> float | None:
    if not intros:
        return None
    return round(sum(1 for i in intros if i.state in POSITIVE) / len(intros), 4)


def _summary(intros: list[IntroRow]) -> dict[str, Any]:
    return {"decided": len(intros), "accepted": sum(1 for i in intros if i.state in POSITIVE),
            "acceptance_rate": _rate(intros)}


def _median_hours(intros: list[IntroRow]) -> float | None:
    hours = [(i.responded_at - i.created_at).total_seconds() / 3600
             for i in intros if i.responded_at is not None]
    return round(statistics.median(hours), 2) if hours else None


def _by_decile(decided: list[IntroRow]) -> list[dict[str, Any]]:
    groups: dict[int, list[IntroRow]] = defaultdict(list)
    for intro in decided:
        if intro.score is not None:
            groups[min(int(intro.score * 10), 9)].append(intro)
    return [{"decile": d, "from": d / 10, "to": (d + 1) / 10, **_summary(groups[d])}
            for d in range(10) if groups[d]]


def _cross_border(intros: list[IntroRow]) -> dict[str, Any]:
    pairs = Counter("-".join(sorted((i.requester.country, i.target.country))) for i in intros)
    cross = sum(n for key, n in pairs.items() if key[:2] != key[3:])
    total = len(intros)
    return {"share": round(cross / total, 4) if total else None,
            "by_country_pair": {key: {"introductions": n, "share": round(n / total, 4)}
                                for key, n in sorted(pairs.items())}}


def _sme_of(intro: IntroRow) -> Party | None:
    for party in (intro.requester, intro.target):
        if party.kind == "sme":
            return party
    return None


def _grouped(decided: list[IntroRow], keys) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[IntroRow]] = defaultdict(list)
    for intro in decided:
        sme = _sme_of(intro)
        if sme is not None:
            for key in keys(sme):
                groups[key].append(intro)
    return {key: _summary(groups[key]) for key in sorted(groups)}


def _by_ownership(decided: list[IntroRow], filters: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the acceptance by the SME's ownership groups as each introduction kept them."""
    kept = dict(db.session.execute(within_period(
        db.select(Introduction.id, Introduction.sme_ownership), Introduction.created_at,
        filters)).all())
    groups: dict[str, list[IntroRow]] = defaultdict(list)
    for intro in decided:
        sme = _sme_of(intro)
        if sme is None:
            continue
        key = kept.get(intro.id)
        for group in (sme.ownership if key is None else ownership_groups(key)) or ["none"]:
            groups[group].append(intro)
    return {key: _summary(groups[key]) for key in sorted(groups)}


def _utilisation(country: str | None) -> dict[str, Any]:
    query = db.select(Profile.capacity, Profile.active_count).where(
        Profile.kind == "mentor", Profile.active.is_(True))
    if country:
        query = query.where(Profile.country == country)
    rows = db.session.execute(query).all()
    capacity = sum(r.capacity or 0 for r in rows)
    load = sum(r.active_count or 0 for r in rows)
    return {"mentors": len(rows), "capacity": capacity, "load": load,
            "utilisation": round(load / capacity, 4) if capacity else None,
            "full": sum(1 for r in rows if r.capacity and (r.active_count or 0) >= r.capacity)}


def _over_time(intros: list[IntroRow], filters: dict[str, Any]) -> dict[str, Any]:
    days = [i.created_at.astimezone(UTC).date() for i in intros]
    first = filters.get("from") or (min(days) if days else filters.get("to"))
    last = filters.get("to") or (max(days) if days else first)
    if first is None:
        return {"bucket": "day", "periods": []}
    span = (last - first).days + 1
    bucket = "day" if span <= 31 else "week" if span <= 53 * 7 else "month"
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for day, intro in zip(days, intros, strict=True):
        counts[_period_start(day, bucket)][intro.state] += 1
    periods, start = [], _period_start(first, bucket)
    while start <= last:
        periods.append({"start": start.isoformat(),
                        **{s: counts[start][s] for s in INTRODUCTION_STATES},
                        "total": sum(counts[start].values())})
        start = _next_period(start, bucket)
    return {"bucket": bucket, "periods": periods}


def _period_start(day: date, bucket: str) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1) if bucket == "month" else day


def _next_period(start: date, bucket: str) -> date:
    if bucket == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if bucket == "week" else 1)


def _model() -> dict[str, Any] | None:
    active = db.session.scalar(db.select(ModelVersion).where(ModelVersion.active))
    if active is None:
        return None
    return {"version": active.version, "created_at": active.created_at.isoformat(),
            "metrics": active.metrics}
