"""Reading the audit log (admins): what happened to which object, by whom, newest first."""

from __future__ import annotations

from sqlalchemy import func

from models import PROFILE_CLASSES, AuditEntry, User, db
from webapp import policy
from webapp.errors import Forbidden

# A profile's writes are recorded under its kind, refusals about it under ``profile``: asking
# for ``profile`` reads its whole trail (asking for a kind, its writes only).
OBJECT_TYPES = {"profile": ("profile", *PROFILE_CLASSES)}


def list_entries(user: User, filters: dict, page: int, per_page: int) -> tuple[list[AuditEntry],
                                                                                int]:
    """Return one page of the audit log, newest first, and the total; admins only.

    Filters: ``action`` (exact, or a prefix ending in ``.`` such as ``auth.``), ``actor_id``,
    ``object_type`` (``profile``: of every kind, see :data:`OBJECT_TYPES`), ``object_id``, and
    ``since`` / ``until`` (UTC instants, ``until`` excluded).
    """
    if not policy.may_read_audit_log(user):
        raise Forbidden("admin_only_audit")
    query = db.select(AuditEntry)
    action = filters.get("action")
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True)
                            if action.endswith(".") else AuditEntry.action == action)
    for name in ("actor_id", "object_id"):
        if filters.get(name) is not None:
            query = query.where(getattr(AuditEntry, name) == filters[name])
    if filters.get("object_type") is not None:
        query = query.where(AuditEntry.object_type.in_(
            OBJECT_TYPES.get(filters["object_type"], (filters["object_type"],))))
    if filters.get("since"):
        query = query.where(AuditEntry.at >= filters["since"])
    if filters.get("until"):
        query = query.where(AuditEntry.at < filters["until"])
    total = db.session.scalar(query.with_only_columns(func.count(AuditEntry.id)).order_by(None))
    items = db.session.scalars(query.order_by(AuditEntry.id.desc())
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return list(items), total or 0
