"""The introductions the metrics and the CSV export count, read as plain rows.

Program figures read a handful of columns of every introduction in a period and the kind,
country and ownership of both parties. Reading them as columns, and each party once, instead
of as ORM objects with their profiles, keeps the metrics of tens of thousands of introductions
fast (``scripts/bench_metrics.py`` measures both ways). A party's country is the one the
introduction kept when it was made (``requester_country``, ``target_country``), so a party
that moves later leaves past figures as they were; the profile's only for a row written
without the ORM, which kept none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased

from models import Introduction, Profile, db
from webapp.services.periods import within_period

PARTY_BATCH = 5000  # profile ids per IN (…) list


@dataclass(frozen=True, slots=True)
class Party:
    kind: str
    country: str
    ownership: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IntroRow:
    id: int
    kind: str
    state: str
    score: float | None
    model_version: str | None
    created_at: datetime
    responded_at: datetime | None
    closed_at: datetime | None
    decline_reason_code: str | None
    requester_id: int
    target_id: int
    requester: Party
    target: Party


COLUMNS = tuple(getattr(Introduction, name) for name in IntroRow.__slots__
                if name not in ("requester", "target"))
KEPT_COUNTRIES = (Introduction.requester_country, Introduction.target_country)


def introductions_in(filters: dict[str, Any]) -> list[IntroRow]:
    """Return the introductions created in the period, of the kind, with a party in the
    country when it was made (``from``, ``to``, ``kind``, ``country`` filters), by id."""
    query = within_period(db.select(*COLUMNS, *KEPT_COUNTRIES), Introduction.created_at,
                          filters)
    if filters.get("kind"):
        query = query.where(Introduction.kind == filters["kind"])
    if filters.get("country"):
        requester, target = aliased(Profile), aliased(Profile)
        query = (query.join(requester, Introduction.requester_id == requester.id)
                 .join(target, Introduction.target_id == target.id)
                 .where(or_(func.coalesce(Introduction.requester_country, requester.country)
                            == filters["country"],
                            func.coalesce(Introduction.target_country, target.country)
                            == filters["country"])))
    rows = db.session.execute(query.order_by(Introduction.id)).all()
    parties = _parties({r.requester_id for r in rows} | {r.target_id for r in rows})
    width = len(COLUMNS)
    return [IntroRow(*row[:width], requester=_then(parties[row.requester_id], row[width]),
                     target=_then(parties[row.target_id], row[width + 1])) for row in rows]


def _then(party: Party, country: str | None) -> Party:
    """Return the party in the country the introduction kept (as it is, if none kept)."""
    if country is None or country == party.country:
        return party
    return Party(party.kind, country, party.ownership)


def _parties(ids: set[int]) -> dict[int, Party]:
    ordered, parties = sorted(ids), {}
    for start in range(0, len(ordered), PARTY_BATCH):
        batch = ordered[start:start + PARTY_BATCH]
        for pid, kind, country, ownership in db.session.execute(
                db.select(Profile.id, Profile.kind, Profile.country, Profile.ownership)
                .where(Profile.id.in_(batch))):
            parties[pid] = Party(kind, country, tuple(ownership or ()))
    return parties
