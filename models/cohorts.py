"""Cohort proposals: a coordinator's allocation of a cohort's SMEs to mentors, draft or confirmed.

The request (selections and options) and the result (pairs with scores and reasons, unassigned
SMEs, objective values, the greedy comparison, a diff against the previous proposal) are kept
as JSON, as the allocation engine returned them, so a proposal reads the same later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import IDS_NEVER_REUSED, db, utcnow

DRAFT, CONFIRMED = "draft", "confirmed"
COHORT_STATUSES = (DRAFT, CONFIRMED)


class CohortProposal(db.Model):
    __tablename__ = "cohort_proposals"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'confirmed')", name="status_known"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    request: Mapped[dict] = mapped_column(default=dict)
    result: Mapped[dict] = mapped_column(default=dict)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort_proposals.id", ondelete="SET NULL"))
