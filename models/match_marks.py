"""A profile owner's marks on its matches: saved for later, or hidden for good.

One row per (owner profile, candidate profile): a match is either saved or hidden, never both;
marking it the other way replaces the mark. A hidden candidate is left out of the owner's
rankings and counts as a negative outcome when the model learns (like a fit decline).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow
from models.profiles import Profile

SAVED, HIDDEN = "saved", "hidden"
MATCH_MARKS = (SAVED, HIDDEN)


class MatchMark(db.Model):
    __tablename__ = "match_marks"
    __table_args__ = (
        UniqueConstraint("owner_id", "candidate_id", name="uq_match_marks_pair"),
        CheckConstraint("mark IN (" + ", ".join(f"'{m}'" for m in MATCH_MARKS) + ")",
                        name="mark_known"),
        CheckConstraint("owner_id <> candidate_id", name="distinct_profiles"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                          index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                              index=True)
    mark: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[Profile] = relationship(foreign_keys=[owner_id])
    candidate: Mapped[Profile] = relationship(foreign_keys=[candidate_id])
