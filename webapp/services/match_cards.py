"""What a match card shows beside the ranking: the owner's mark and the pair's introduction.

Both are read with the owner's profile, in the same statement (:data:`CARD_COLUMNS`: every
mark and introduction of the owner, read as :class:`OwnerCards`); nothing here writes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, cast, func, literal, or_, select

from models import (
    Introduction,
    MatchMark,
    ModelVersion,
    Profile,
    ProgramRule,
    User,
    db,
)
from models.introductions import DECLINED
from webapp.services.change_feed import NEWEST_SEQ
from webapp.services.profile_reads import WITH_OWNER, reads_owner_with_profile

NO_CAPACITY = "no_capacity"  # the decline reason of a request closed when the last place went


@dataclass(frozen=True)
class PairIntroduction:
    """The latest introduction between the owner and a candidate, as the card tells it."""

    id: int
    state: str
    requested_by_owner: bool
    for_lack_of_room: bool = False  # declined by the service: the mentor's last place went

    @property
    def may_ask_again(self) -> bool:
        """Tell whether the card offers a new request: none is open, and the last one was
        withdrawn, expired, or closed for lack of room (no one's "no")."""
        return self.state in ("withdrawn", "expired") or self.for_lack_of_room


@dataclass(frozen=True)
class CardState:
    mark: str | None
    introduction: PairIntroduction | None


def _joined(*columns: ColumnElement[Any]) -> ColumnElement[str]:
    """Return ``columns`` as one text, ':' between them (none holds a ':' or a ',')."""
    parts = [cast(column, String) for column in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + literal(":") + part
    return joined


NEWEST_CHANGE = NEWEST_SEQ
"""The newest number of the profile change log, read with the owner's profile (one step back
along its primary key): a ranking whose worker has not followed the log that far reads it
first, so a profile written through any worker shows in the next ranking (README, Matching)."""

ACTIVE_MODEL = select(ModelVersion.version).where(ModelVersion.active).scalar_subquery()
"""The active model's version (its partial unique index): a worker serving another one loads
it first, so an activation or a rollback made through any worker applies to the next ranking."""

RULES_VERSION = select(func.coalesce(func.max(ProgramRule.version), 0)).scalar_subquery()
"""The program rules' version (a handful of rows; it only grows): newer than the worker's rules,
they are read again first, so a coordinator's change applies to the next ranking."""


@dataclass(frozen=True)
class Seen:
    """What the rankings' shared inputs were when the owner's profile was read: the change
    log's newest number, the active model's version and the program rules' version."""

    change: int | None
    model: str | None
    rules: int

CARD_COLUMNS = (
    select(func.aggregate_strings(_joined(MatchMark.candidate_id, MatchMark.mark), ","))
    .where(MatchMark.owner_id == Profile.id).scalar_subquery(),
    select(func.aggregate_strings(_joined(Introduction.id, Introduction.state,
                                          Introduction.requester_id, Introduction.target_id,
                                          func.coalesce(Introduction.decline_reason_code, "")),
                                  ","))
    .where(or_(Introduction.requester_id == Profile.id, Introduction.target_id == Profile.id))
    .scalar_subquery(),
)
"""Two columns to select beside a :class:`Profile`: its owner's marks and its introductions,
each as one text (``OwnerCards.parse`` reads them). A ranking request reads its owner's
profile anyway; a round trip for the marks and another for the page's introductions cost more
than these columns (``scripts/profile_request.py``; README, Serving speed). They grow with the
owner's marks and introductions, as the marks alone always did (a ranking leaves the hidden
ones out)."""


@dataclass(frozen=True)
class OwnerCards:
    """Every mark of an owner (candidate id → mark) and its latest introduction with each
    profile it has one with (either way)."""

    marks: dict[int, str]
    introductions: dict[int, PairIntroduction]
    seen: Seen | None = None  # the rankings' shared inputs when read

    @classmethod
    def parse(cls, owner_id: int, marks: str | None, introductions: str | None,
              seen: Seen | None = None) -> OwnerCards:
        """Read the texts of :data:`CARD_COLUMNS` (None: nothing)."""
        latest: dict[int, PairIntroduction] = {}
        for id_, state, requester, target, reason in sorted(
                (int(id_), state, int(requester), int(target), reason)
                for id_, state, requester, target, reason in _items(introductions)):
            mine = requester == owner_id  # oldest first: the latest one of each pair stays
            latest[target if mine else requester] = PairIntroduction(
                id_, state, mine, state == DECLINED and reason == NO_CAPACITY)
        return cls({int(candidate): mark for candidate, mark in _items(marks)}, latest, seen)

    @classmethod
    def of_columns(cls, owner_id: int, columns: Sequence[Any]) -> OwnerCards:
        """Read the values of the columns the owner's statement selects after the profile:
        :data:`CARD_COLUMNS`, then those of :class:`Seen`."""
        marks, introductions, *seen = columns
        return cls.parse(owner_id, marks, introductions, Seen(*seen))

    def states(self, candidate_ids: Collection[int]) -> dict[int, CardState]:
        """Return each candidate's card state."""
        return {i: CardState(self.marks.get(i), self.introductions.get(i))
                for i in candidate_ids}


def _items(text: str | None) -> list[list[str]]:
    """Return the items of one of :data:`CARD_COLUMNS`' texts, each split into its fields."""
    return [item.split(":") for item in text.split(",")] if text else []


_PROFILE_WITH_CARDS = (select(Profile, *CARD_COLUMNS, NEWEST_CHANGE, ACTIVE_MODEL,
                              RULES_VERSION).where(Profile.id == bindparam("id")))
_PROFILE_OWNER_AND_CARDS = _PROFILE_WITH_CARDS.options(WITH_OWNER)


def profile_with_cards(profile_id: int,
                       reader: User | None = None) -> tuple[Profile | None, OwnerCards]:
    """Return the profile (None when there is none) and its owner's cards, in one statement,
    with the owning account too when the ``reader``'s reads load it
    (:func:`~webapp.services.profile_reads.reads_owner_with_profile`)."""
    statement = (_PROFILE_OWNER_AND_CARDS if reads_owner_with_profile(reader)
                 else _PROFILE_WITH_CARDS)
    row = db.session.execute(statement, {"id": profile_id}).first()
    if row is None:
        return None, OwnerCards({}, {})
    return row[0], OwnerCards.of_columns(profile_id, row[1:])
