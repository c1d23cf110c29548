"""What the two parties of an accepted introduction say to each other: messages and
meeting proposals (up to three times, one picked by the other party)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import IDS_NEVER_REUSED, db, utcnow

MESSAGE_MAX = 2000  # characters of one message
NOTE_MAX = 500  # characters of a meeting proposal's note
MAX_TIMES = 3  # times one proposal offers
MEETING_MINUTES = (15, 480)  # shortest and longest meeting


class IntroductionMessage(db.Model):
    """One message of an introduction's thread, written by one party."""

    __tablename__ = "introduction_messages"
    __table_args__ = (Index("ix_introduction_messages_thread", "introduction_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingProposal(db.Model):
    """Times for a first meeting offered by one party; the other party picks one.

    ``times`` are ISO 8601 instants in UTC; ``zone`` is the IANA zone the proposer wrote them
    in. ``picked_time`` is set once, by a conditional update (of two picks one wins).
    """

    __tablename__ = "meeting_proposals"
    __table_args__ = (
        CheckConstraint(f"minutes BETWEEN {MEETING_MINUTES[0]} AND {MEETING_MINUTES[1]}",
                        name="minutes_range"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    times: Mapped[list]
    minutes: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    zone: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    picked_time: Mapped[datetime | None]
    picked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL"))
    picked_at: Mapped[datetime | None]
