"""In-app notices: what happened that a user should see, shown in the navigation bar's count.

A notice stores a kind (a code of :mod:`webapp.catalogue.notices`) and parameters, never text:
it is worded in the reader's language when read, with the parties' names as they are then (a
renamed or retired profile is not named by its old name). It is written in the transaction of
the event it tells about, beside the e-mail of the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import db, utcnow


class Notice(db.Model):
    """One notice to one user; unread while ``read_at`` is null."""

    __tablename__ = "notices"
    __table_args__ = (
        # The navigation bar counts a user's unread notices on every page: one index range.
        Index("ix_notices_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    introduction_id: Mapped[int | None] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    introduction = relationship("Introduction")
