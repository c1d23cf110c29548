"""What a match card shows beside the ranking: the owner's mark and the pair's introduction.

Both are read in two queries for a whole page of candidates (one when the caller already holds
the owner's marks); nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select

from models import Introduction, db
from webapp.services.match_marks import marks_of


@dataclass(frozen=True)
class PairIntroduction:
    """The latest introduction between the owner and a candidate, as the card tells it."""

    id: int
    state: str
    requested_by_owner: bool


@dataclass(frozen=True)
class CardState:
    mark: str | None
    introduction: PairIntroduction | None


# Composed once, with parameters: composing it per request cost a third of the query.
_PAIR_INTRODUCTIONS = (
    select(Introduction.id, Introduction.state, Introduction.requester_id,
           Introduction.target_id)
    .where(or_((Introduction.requester_id == bindparam("owner"))
               & Introduction.target_id.in_(bindparam("ids", expanding=True)),
               (Introduction.target_id == bindparam("owner"))
               & Introduction.requester_id.in_(bindparam("ids", expanding=True))))
    .order_by(Introduction.id))


def card_states(owner_id: int, candidate_ids: Collection[int],
                marks: Mapping[int, str] | None = None) -> dict[int, CardState]:
    """Return each candidate's mark and latest introduction with the owner (either way);
    ``marks`` are the owner's marks when already read (:func:`owner_marks`)."""
    ids = list(candidate_ids)
    if not ids:
        return {}
    marks = marks_of(owner_id, ids) if marks is None else marks
    # As Core on the session's connection, like the marks (read-only callers: nothing to flush).
    rows = db.session.connection().execute(_PAIR_INTRODUCTIONS,
                                           {"owner": owner_id, "ids": ids}).all()
    latest: dict[int, PairIntroduction] = {}
    for row in rows:  # oldest first: the latest one of each pair stays
        mine = row.requester_id == owner_id
        other = row.target_id if mine else row.requester_id
        latest[other] = PairIntroduction(row.id, row.state, mine)
    return {i: CardState(marks.get(i), latest.get(i)) for i in ids}
