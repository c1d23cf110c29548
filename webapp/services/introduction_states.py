"""The introduction state machine: accept, decline, withdraw, complete, expire, remind.

```
requested ──accept──▶ accepted ──complete──▶ completed
    ├──decline──▶ declined      (by the target; automatically when a mentor is full)
    ├──withdraw──▶ withdrawn    (by the requester)
    └──expire──▶ expired        (unanswered for PUENTE_EXPIRY_DAYS, by the sweep)
```
A request answered (accepted, declined, withdrawn) after its expiry is expired then, as the
sweep would have, and the answer refused as for any expired request.
Every change is a conditional update (``… WHERE state = 'requested'``) in the use case's one
transaction, so of two people acting at once on one introduction only one succeeds; the other
gets a 409 naming the state it found. Rows are locked in one order everywhere — the mentor's
profile, then the other party's, then introductions — so PostgreSQL never meets a lock cycle.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from models import Introduction, User, db, utcnow
from models.introductions import ACCEPTED, COMPLETED, DECLINED, EXPIRED, REQUESTED, WITHDRAWN
from webapp.errors import Conflict, Forbidden
from webapp.policy import acts_for, is_owner
from webapp.services import capacity
from webapp.services.audit import record
from webapp.services.introductions import (
    expire_overdue,
    get_introduction,
    is_overdue,
    moved,
    notify,
)
from webapp.services.transactions import RefuseAfterCommit, write_transaction

# target state -> (the states it can be reached from, the action's name)
TRANSITIONS = {
    ACCEPTED: ((REQUESTED,), "accept"), DECLINED: ((REQUESTED,), "decline"),
    WITHDRAWN: ((REQUESTED,), "withdraw"), EXPIRED: ((REQUESTED,), "expire"),
    COMPLETED: ((ACCEPTED,), "complete"),
}


def accept(user: User, intro_id: int, now: datetime | None = None) -> Introduction:
    """Accept a request (the target): take the mentor's capacity, reveal contacts, commit."""
    now = now or utcnow()
    with write_transaction("mentor_no_capacity"):
        intro = _acting_on(user, intro_id, ACCEPTED, ("target",), now)
        mentor_id = intro.mentor_id
        if mentor_id is not None and not capacity.take_capacity(mentor_id, now):
            raise Conflict("mentor_full_to_accept", id=mentor_id)
        capacity.count_answer(user, intro.target, now)
        _transition(intro, ACCEPTED, now, responded_at=now)
        record("introduction.accept", "introduction", intro.id, actor=user)
        record("introduction.reveal_contacts", "introduction", intro.id, actor=user,
               profile_ids=list(intro.party_ids()))
        notify(intro.requester.user, "program_accepted" if intro.by_program else "accepted",
               intro)
        if mentor_id is not None and capacity.is_full(mentor_id):
            decline_for_no_capacity(mentor_id, now, cause=intro.id)
    return intro


def decline(user: User, intro_id: int, reason_code: str, reason_text: str = "",
            now: datetime | None = None) -> Introduction:
    """Decline a request (the target), with a reason, and commit."""
    now = now or utcnow()
    with write_transaction():
        intro = _acting_on(user, intro_id, DECLINED, ("target",), now)
        capacity.count_answer(user, intro.target, now)
        _transition(intro, DECLINED, now, responded_at=now, closed_at=now,
                    decline_reason_code=reason_code, decline_reason_text=reason_text or None)
        record("introduction.decline", "introduction", intro.id, actor=user,
               reason_code=reason_code)
        notify(intro.requester.user, "declined", intro, reason_code=reason_code,
               note=reason_text or "")
    return intro


def withdraw(user: User, intro_id: int, now: datetime | None = None) -> Introduction:
    """Withdraw one's own request before it is answered — or, for a program introduction,
    turn it down as its requester — and commit."""
    now = now or utcnow()
    with write_transaction():
        intro = _acting_on(user, intro_id, WITHDRAWN, ("requester",), now)
        capacity.touch(user, intro.requester, now)
        _transition(intro, WITHDRAWN, now, closed_at=now)
        record("introduction.withdraw", "introduction", intro.id, actor=user)
        notify(intro.target.user, "program_turned_down" if intro.by_program else "withdrawn",
               intro)
    return intro


def complete(user: User, intro_id: int, now: datetime | None = None) -> Introduction:
    """Mark an accepted introduction completed (either party), free the mentor's capacity."""
    now = now or utcnow()
    with write_transaction():
        intro = _acting_on(user, intro_id, COMPLETED, ("requester", "target"), now)
        if intro.mentor_id is not None:
            capacity.release_capacity(intro.mentor_id, now)
        parties = sorted((intro.requester, intro.target), key=lambda p: p.id != intro.mentor_id)
        for party in parties:
            capacity.touch(user, party, now)
        _transition(intro, COMPLETED, now, closed_at=now)
        record("introduction.complete", "introduction", intro.id, actor=user)
        for party in parties:
            if not is_owner(user, party):
                notify(party.user, "completed", intro)
    return intro


def expire_request(intro_id: int, now: datetime) -> bool:
    """Expire an unanswered request and commit; tell whether it was still unanswered (an
    answer may have come meanwhile, or another sweep expired it)."""
    try:
        with write_transaction():
            intro = db.session.get(Introduction, intro_id)
            if intro is None or intro.state != REQUESTED:
                return False
            expire_overdue(intro, now)
    except Conflict:  # answered, or expired, between the read and the update
        return False
    return True


def remind_target(intro_id: int, now: datetime) -> bool:
    """Remind the target of an unanswered request, once, and commit."""
    table = Introduction.__table__
    with write_transaction():
        done = db.session.execute(update(table).where(
            table.c.id == intro_id, table.c.state == REQUESTED, table.c.reminded_at.is_(None),
        ).values(reminded_at=now, version=table.c.version + 1)).rowcount
        if not done:
            return False
        intro = db.session.get(Introduction, intro_id)
        record("introduction.remind", "introduction", intro.id, actor=None)
        notify(intro.target.user, "reminder", intro, days=(now - intro.created_at).days)
    return True


def decline_for_no_capacity(mentor_id: int, now: datetime, cause: int | None = None) -> int:
    """Decline every request waiting for a full mentor, telling the requesters.

    Runs inside the caller's transaction. Requests the mentor made stay open: it may free a
    place before they are answered. Those already past their expiry are expired instead.
    """
    waiting = db.session.scalars(db.select(Introduction).where(
        Introduction.target_id == mentor_id, Introduction.state == REQUESTED)).all()
    for intro in waiting:
        if is_overdue(intro, now):
            expire_overdue(intro, now)
            continue
        _transition(intro, DECLINED, now, closed_at=now, decline_reason_code="no_capacity")
        record("introduction.decline", "introduction", intro.id, actor=None,
               reason_code="no_capacity", automatic=True, cause=cause)
        # Puente's decline, not the mentor's: the message says it is full, no "reason given".
        notify(intro.requester.user, "declined_no_capacity", intro)
    return len(waiting)


def _acting_on(user: User, intro_id: int, to_state: str, sides: tuple[str, ...],
               now: datetime) -> Introduction:
    """Load the introduction for a change by the user on behalf of one of ``sides``.

    A request past its expiry is expired (committed) and the change refused.
    """
    intro = get_introduction(user, intro_id)
    if not any(acts_for(user, getattr(intro, side)) for side in sides):
        raise Forbidden("transition_forbidden", sides=list(sides),
                        action=TRANSITIONS[to_state][1])
    if is_overdue(intro, now):
        expire_overdue(intro, now)
        raise RefuseAfterCommit(_wrong_state(intro, to_state))
    _require_state(intro, to_state)
    return intro


def _require_state(intro: Introduction, to_state: str) -> None:
    if intro.state not in TRANSITIONS[to_state][0]:
        raise _wrong_state(intro, to_state)


def _wrong_state(intro: Introduction, to_state: str) -> Conflict:
    allowed, _ = TRANSITIONS[to_state]
    return Conflict("introduction_wrong_state", id=intro.id, state=intro.state,
                    allowed_states=list(allowed), to_state=to_state)


def _transition(intro: Introduction, to_state: str, now: datetime, **values) -> None:
    """Move the introduction to a state if it is still in one that allows it (409 if not)."""
    allowed, _ = TRANSITIONS[to_state]
    if not moved(intro, tuple(allowed), to_state, now, **values):
        _require_state(intro, to_state)  # raises: someone else moved it first
        raise Conflict("introduction_changed", id=intro.id)
