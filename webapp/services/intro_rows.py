"""The introductions the metrics and the CSV export count, read as plain rows.

Program figures read a handful of columns of every introduction in a period and the kind,
country and ownership of both parties. Reading them as columns, and each party once, instead
of as ORM objects with their profiles, keeps the metrics of tens of thousands of introductions
fast (``scripts/bench_metrics.py`` measures both ways).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
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


def introductions_in(filters: dict[str, Any]) -> list[IntroRow]:
    """Return the introductions created in the period, of the kind, with a party in the
    country (``from``, ``to``, ``kind``, ``country`` filters), by id."""
    query = within_period(db.select(*COLUMNS), Introduction.created_at, filters)
    if filters.get("kind"):
        query = query.where(Introduction.kind == filters["kind"])
    if filters.get("country"):
        requester, target = aliased(Profile), aliased(Profile)
        query = (query.join(requester, Introduction.requester_id == requester.id)
                 .join(target, Introduction.target_id == target.id)
                 .where(or_(requester.country == filters["country"],
                            target.country == filters["country"])))
    rows = db.session.execute(query.order_by(Introduction.id)).all()
    parties = _parties({r.requester_id for r in rows} | {r.target_id for r in rows})
    return [IntroRow(*row, requester=parties[row.requester_id], target=parties[row.target_id])
            for row in rows]


def _parties(ids: set[int]) -> dict[int, Party]:
    ordered, parties = sorted(ids), {}
    for start in range(0, len(ordered), PARTY_BATCH):
        batch = ordered[start:start + PARTY_BATCH]
        for pid, kind, country, ownership in db.session.execute(
                db.select(Profile.id, Profile.kind, Profile.country, Profile.ownership)
                .where(Profile.id.in_(batch))):
            parties[pid] = Party(kind, country, tuple(ownership or ()))
    return parties
