"""Exposure: logging the profiles each ranking showed, and how often each group was shown.

Logging: every ranking served to a participant (the API's ``…/<id>/matches`` and the matches
page both rank through :func:`webapp.services.matching.rank_for`) adds one impression per
profile in its first ten places, written at once in a short transaction of its own (the
ranking's request keeps its own session untouched: nothing of it is committed or rolled back
here); a failure to log is a warning, never a failed ranking. Rankings staff view on
someone's behalf are not logged: exposure measures what participants themselves are shown,
and coordinators' browsing would inflate it. Each row keeps the pairing's SME country and
ownership groups as they were when shown, and the profile ids go
to NULL when a profile is deleted, so the figures survive account deletion.

Figures (impressions shown in the period, of the pairing, whose SME is in the country asked
for):

* *rankings*: rankings with at least one impression counted (with a country filter, those
  that showed an SME of the country or were shown to one);
* *by_kind*: impressions by the shown profile's kind;
* per SME country and per ownership group (an SME with several groups counts in each, one
  declaring none in ``none``): ``profiles`` = active SME profiles now in the group;
  ``impressions`` = times SMEs of the group were shown (rankings for mentors and buyers);
  ``share_of_profiles`` and ``share_of_impressions`` = the group's part of all active SME
  profiles and of all SME impressions; ``per_profile`` = impressions / profiles. Each is
  ``None`` when its denominator is 0; a group is listed when it has profiles or impressions.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import Select, distinct, func, select
from sqlalchemy.exc import SQLAlchemyError

from models import INTRODUCTION_KINDS, PROFILE_KINDS, MatchImpression, Profile, db, utcnow
from models.exposures import IMPRESSION_RANKS, PAIRING_SIDES
from webapp.services.periods import within_period
from webapp.services.transactions import separate_transaction

Groups = Callable[[str, str], Iterable[str]]  # (country, ownership string) -> group keys


def log_impressions(profile: Profile, kind: str, shown_ids: Sequence[int]) -> None:
    """Log the first ten profiles a ranking showed, in a transaction of its own; a failure
    only logs a warning."""
    shown = list(shown_ids)[:IMPRESSION_RANKS]
    if not shown:
        return
    pairing = INTRODUCTION_KINDS[(profile.kind, kind)]
    try:
        sme_of = _sme_side(profile, kind, shown)
        ranking, at = uuid.uuid4().hex, utcnow()
        with separate_transaction() as session:
            session.add_all(
                MatchImpression(ranking=ranking, at=at, requester_id=profile.id, shown_id=pid,
                                rank=place, kind=pairing, sme_country=sme_of[pid][0],
                                sme_ownership=sme_of[pid][1])
                for place, pid in enumerate(shown, start=1) if pid in sme_of)
    except SQLAlchemyError:
        current_app.logger.warning("Could not log match impressions.", exc_info=True)


def _ownership_key(groups: Iterable[str] | None) -> str:
    return ",".join(sorted(set(groups or ())))


def _sme_side(profile: Profile, kind: str, shown: list[int]) -> dict[int, tuple[str, str]]:
    """Return, per shown profile id, the country and ownership key of the pairing's SME."""
    if kind != "sme":
        return dict.fromkeys(shown, (profile.country, _ownership_key(profile.ownership)))
    rows = db.session.execute(select(Profile.id, Profile.country, Profile.ownership)
                              .where(Profile.id.in_(shown)))
    return {row.id: (row.country, _ownership_key(row.ownership)) for row in rows}


def exposure_metrics(filters: dict[str, Any]) -> dict[str, Any]:
    """Return the exposure figures for the filters (``from``, ``to``, ``country``, ``kind``)."""
    counted = _counts_by_group(filters)
    by_kind: Counter[str] = Counter()
    for row in counted:
        by_kind[PAIRING_SIDES[row.kind][1]] += row.impressions
    sme_rows = [r for r in counted if PAIRING_SIDES[r.kind][1] == "sme"]
    smes = _active_smes(filters.get("country"))
    return {
        "rankings": db.session.scalar(_filtered(
            select(func.count(distinct(MatchImpression.ranking))), filters)),
        "impressions": sum(by_kind.values()),
        "by_kind": {k: by_kind[k] for k in PROFILE_KINDS},
        "by_sme_country": _groups(smes, sme_rows, lambda country, _: [country]),
        "by_ownership": _groups(smes, sme_rows,
                                lambda _, owned: owned.split(",") if owned else ["none"]),
    }


def _counts_by_group(filters: dict[str, Any]) -> list:
    """Return the impressions counted by pairing, SME country and SME ownership key."""
    columns = (MatchImpression.kind, MatchImpression.sme_country, MatchImpression.sme_ownership)
    query = _filtered(select(*columns, func.count().label("impressions")), filters)
    return list(db.session.execute(query.group_by(*columns)))


def _filtered(query: Select, filters: dict[str, Any]) -> Select:
    """Return the query of impressions restricted to the filters."""
    query = within_period(query, MatchImpression.at, filters)
    if filters.get("kind"):
        query = query.where(MatchImpression.kind == filters["kind"])
    if filters.get("country"):
        query = query.where(MatchImpression.sme_country == filters["country"])
    return query



def _active_smes(country: str | None) -> list[tuple[str, str]]:
    query = select(Profile.country, Profile.ownership).where(
        Profile.kind == "sme", Profile.active.is_(True))
    if country:
        query = query.where(Profile.country == country)
    return [(row.country, _ownership_key(row.ownership)) for row in db.session.execute(query)]


def _groups(smes: list[tuple[str, str]], sme_rows: list, keys: Groups) -> dict[str, Any]:
    profiles: Counter[str] = Counter()
    for country, owned in smes:
        profiles.update(keys(country, owned))
    shown: Counter[str] = Counter()
    for row in sme_rows:
        for key in keys(row.sme_country, row.sme_ownership):
            shown[key] += row.impressions
    total_profiles, total_shown = len(smes), sum(r.impressions for r in sme_rows)
    return {key: {"profiles": profiles[key], "impressions": shown[key],
                  "share_of_profiles": _ratio(profiles[key], total_profiles),
                  "share_of_impressions": _ratio(shown[key], total_shown),
                  "per_profile": _ratio(shown[key], profiles[key])}
            for key in sorted(profiles.keys() | shown.keys())}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
