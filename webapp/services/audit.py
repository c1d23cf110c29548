"""Writing the audit log.

``record`` adds an entry to the caller's transaction, which commits it with the change it
describes. ``record_now`` writes an entry in its own short transaction, for events whose
request fails (an authorisation refusal, a rate-limited sign-in): the failing request's own
transaction is rolled back, and the entry must survive it.

What the details may hold: ids, codes and counts — never an e-mail address, a password, a
name, free text or an IP address (not even hashed: a hashed IPv4 address is reversed by
trying all 2³² of them, and a keyed hash is still personal data). Per-address abuse is the
rate limiter's business; the log tells which accounts and objects were targeted, and by whom.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import AuditEntry, User, db


def record(action: str, object_type: str, object_id: int | None, *, actor: User | None,
           **details) -> AuditEntry:
    """Add an audit entry for an action; details must hold no personal data."""
    entry = AuditEntry(action=action, object_type=object_type, object_id=object_id,
                       actor_id=actor.id if actor is not None else None, details=details)
    db.session.add(entry)
    return entry


def record_now(action: str, object_type: str, object_id: int | None, *,
               actor_id: int | None, **details) -> bool:
    """Write an audit entry in its own transaction, whatever becomes of the request's.

    Returns False (and logs why) when the database refused: a failed audit write must never
    turn the answer being given (a 403, a 429) into a 500.
    """
    try:
        with Session(db.engine) as session, session.begin():
            session.add(AuditEntry(action=action, object_type=object_type,
                                   object_id=object_id, actor_id=actor_id, details=details))
    except SQLAlchemyError:
        current_app.logger.exception("Could not write the audit entry %s", action)
        return False
    return True

