"""Writing the audit log (the caller's transaction commits it)."""

from models import AuditEntry, User, db


def record(action: str, object_type: str, object_id: int | None, *, actor: User | None,
           **details) -> AuditEntry:
    """Add an audit entry for an action; details must hold no personal data."""
    entry = AuditEntry(action=action, object_type=object_type, object_id=object_id,
                       actor_id=actor.id if actor is not None else None, details=details)
    db.session.add(entry)
    return entry
