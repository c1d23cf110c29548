"""A profile's load and responsiveness: counters kept by conditional SQL updates.

``active_count`` (a mentor's accepted, not yet completed introductions) only changes through
``take_capacity``/``release_capacity``: ``UPDATE profiles SET active_count = active_count + 1
WHERE id = :mentor AND active_count < capacity`` applies or not as one atomic step on SQLite
and PostgreSQL alike, and the CHECK constraints on ``profiles`` stand behind it. These updates
are not profile edits: ``updated_at`` is left alone, and only a change of the capacity left is
written to the change log (the ranking indexes hide full mentors).

A mentor's places still free for the program (cohorts, program introductions) are its
capacity less that load and its pending introductions, requested and not yet overdue, either
way (:func:`capacities_left`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, insert, or_, update

from matcher.records import ProfileRecord
from models import Introduction, Profile, ProfileChange, User, db, utcnow
from models.introductions import EXPIRED, MENTORING_KINDS, REQUESTED
from webapp.policy import is_owner

SQL_ID_LIST_MAX = 500  # above this, filter in Python rather than bind thousands of ids


def profile_update(profile_id: int, *conditions, **values) -> int:
    """Update columns of one profile row in SQL if the conditions hold; return rows changed."""
    done = db.session.execute(
        update(Profile.__table__).where(Profile.id == profile_id, *conditions)
        .values(updated_at=Profile.updated_at, **values)
    ).rowcount
    if done:
        cached = db.session.identity_map.get(db.session.identity_key(Profile, profile_id))
        if cached is not None:
            db.session.expire(cached)
    return done


def take_capacity(mentor_id: int, now: datetime) -> bool:
    """Add one to the mentor's load unless it is full; tell whether it was added."""
    taken = profile_update(mentor_id, Profile.active_count < Profile.capacity,
                           active_count=Profile.active_count + 1)
    if taken:
        _log_change(mentor_id, now)
    return bool(taken)


def release_capacity(mentor_id: int, now: datetime) -> None:
    """Take one off the mentor's load."""
    if profile_update(mentor_id, Profile.active_count > 0,
                      active_count=Profile.active_count - 1):
        _log_change(mentor_id, now)


def is_full(mentor_id: int) -> bool:
    """Tell whether the mentor's load has reached its capacity (as this transaction sees it)."""
    row = db.session.execute(db.select(Profile.active_count, Profile.capacity)
                             .where(Profile.id == mentor_id)).one()
    return row.active_count >= (row.capacity or 0)


def _log_change(profile_id: int, now: datetime) -> None:
    db.session.execute(insert(ProfileChange).values(profile_id=profile_id, kind="mentor",
                                                    changed_at=now))


def touch(user: User | None, profile: Profile, now: datetime) -> None:
    """Note activity on the profile when its owner acted."""
    if user is not None and is_owner(user, profile):
        profile_update(profile.id, last_active_at=now)


def count_answer(user: User, target: Profile, now: datetime) -> None:
    """Count a request the target answered (accepted or declined) for its response rate."""
    activity = {"last_active_at": now} if is_owner(user, target) else {}
    profile_update(target.id, requests_answered=Profile.requests_answered + 1, **activity)


def count_expiry(target_id: int) -> None:
    """Count a request the target let expire, against its response rate."""
    profile_update(target_id, requests_expired=Profile.requests_expired + 1)


# -- places left for the program ---------------------------------------------------------

def not_overdue(now: datetime) -> ColumnElement[bool]:
    """The SQL condition of an introduction not yet past its expiry (of a request: unanswered
    for less than ``PUENTE_EXPIRY_DAYS``), swept or not: ``introductions.is_overdue``'s
    complement, for queries."""
    return Introduction.created_at > now - timedelta(days=current_app.config["PUENTE_EXPIRY_DAYS"])


def state_in(states: Collection[str], now: datetime) -> ColumnElement[bool]:
    """The SQL condition of an introduction in one of ``states`` as it reads at ``now``: a
    request past its expiry reads as expired, swept or not (as
    ``introductions.state_now``), so it is no longer among the requested ones."""
    wanted = set(states)
    either = [Introduction.state.in_(sorted(wanted - {REQUESTED}))]
    if REQUESTED in wanted:
        either.append(and_(Introduction.state == REQUESTED, not_overdue(now)))
    if EXPIRED in wanted:
        either.append(and_(Introduction.state == REQUESTED, ~not_overdue(now)))
    return or_(*either)


def pending_introductions(mentor_ids: set[int], now: datetime | None = None,
                          besides: int | None = None) -> Counter:
    """Return how many requested, not yet overdue introductions each mentor is a party to
    (those with the profile ``besides`` left out)."""
    query = (db.select(Introduction.requester_id, Introduction.target_id)
             .where(Introduction.state == REQUESTED, Introduction.kind.in_(MENTORING_KINDS),
                    not_overdue(now or utcnow())))
    if len(mentor_ids) <= SQL_ID_LIST_MAX:
        query = query.where(or_(Introduction.requester_id.in_(mentor_ids),
                                Introduction.target_id.in_(mentor_ids)))
    counts: Counter = Counter()
    for requester_id, target_id in db.session.execute(query):
        if besides not in (requester_id, target_id):
            counts.update(i for i in (requester_id, target_id) if i in mentor_ids)
    return counts


def capacities_left(mentors: Sequence[ProfileRecord], now: datetime | None = None,
                    besides: int | None = None) -> dict[int, int]:
    """Return each mentor's capacity left by id: capacity − accepted − pending introductions
    (but those with ``besides``; a mentor of unknown capacity is left out: the engine
    decides)."""
    known = {r.id: r.capacity_left for r in mentors if r.capacity_left is not None}
    pending = pending_introductions(set(known), now, besides) if known else Counter()
    return {mentor_id: max(left - pending[mentor_id], 0) for mentor_id, left in known.items()}
