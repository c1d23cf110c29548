"""A profile's load and responsiveness: counters kept by conditional SQL updates.

``active_count`` (a mentor's accepted, not yet completed introductions) only changes through
``take_capacity``/``release_capacity``: ``UPDATE profiles SET active_count = active_count + 1
WHERE id = :mentor AND active_count < capacity`` applies or not as one atomic step on SQLite
and PostgreSQL alike, and the CHECK constraints on ``profiles`` stand behind it. These updates
are not profile edits: ``updated_at`` is left alone, and only a change of the capacity left is
written to the change log (the ranking indexes hide full mentors).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, update

from models import Profile, ProfileChange, User, db
from webapp.policy import is_owner


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
