"""Introductions between two profiles (double opt-in), the parties' feedback and staff reviews.

An introduction is requested by one profile of another and then accepted, declined, withdrawn
or left to expire; an accepted one is completed at the end. Each keeps the match score, the
per-factor values and the model version at request time, so outcomes can train the scorer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, event, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import IDS_NEVER_REUSED, db, utcnow
from models.profiles import Profile

REQUESTED, ACCEPTED, COMPLETED = "requested", "accepted", "completed"
DECLINED, WITHDRAWN, EXPIRED = "declined", "withdrawn", "expired"
INTRODUCTION_STATES = (REQUESTED, ACCEPTED, COMPLETED, DECLINED, WITHDRAWN, EXPIRED)
OPEN_STATES = (REQUESTED, ACCEPTED)
# (requester kind, target kind) -> introduction kind
INTRODUCTION_KINDS = {
    ("sme", "mentor"): "sme_mentor", ("sme", "buyer"): "sme_buyer",
    ("buyer", "sme"): "buyer_sme", ("mentor", "sme"): "mentor_sme",
}
MENTORING_KINDS = ("sme_mentor", "mentor_sme")  # the kinds holding a mentor's places
DECLINE_REASONS = ("no_capacity", "not_my_expertise", "language", "not_a_fit", "timing", "other")
# Declines that say the match was wrong (a negative outcome for training), unlike those that
# say the moment was (no_capacity, timing) or say nothing (other).
FIT_DECLINE_REASONS = ("not_my_expertise", "language", "not_a_fit")

_OPEN_SQL = "state IN ('requested', 'accepted')"
# Who made the introduction: a member's own request, or the program (a confirmed cohort).
MEMBER, PROGRAM = "member", "program"
ORIGINS = (MEMBER, PROGRAM)


def ownership_key(groups: Iterable[str] | None) -> str:
    """Return ownership groups as stored for the program figures: sorted, comma-separated
    ("" for none declared), as the exposure log keeps them."""
    return ",".join(sorted(set(groups or ())))


def ownership_groups(key: str) -> list[str]:
    """Return the groups of a stored ownership key (``ownership_key``'s inverse)."""
    return key.split(",") if key else []


def pair_key(a: int, b: int) -> str:
    """Return the key of an unordered pair of profiles (A→B and B→A are the same pair)."""
    low, high = sorted((a, b))
    return f"{low}:{high}"


class Introduction(db.Model):
    __tablename__ = "introductions"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{s}'" for s in INTRODUCTION_STATES) + ")",
            name="state_known",
        ),
        CheckConstraint("requester_id <> target_id", name="distinct_parties"),
        CheckConstraint("origin IN ('member', 'program')", name="origin_known"),
        # One open introduction per pair of profiles, whoever asked first.
        Index("uq_introductions_open_pair", "pair_key", unique=True,
              sqlite_where=text(_OPEN_SQL), postgresql_where=text(_OPEN_SQL)),
        Index("ix_introductions_state_created_at", "state", "created_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(10), default=REQUESTED)
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"),
                                           index=True)
    pair_key: Mapped[str] = mapped_column(String(24))
    # A program introduction is not the requester's own request: shown as the program's,
    # outside the requester's open-request cap.
    origin: Mapped[str] = mapped_column(String(10), default=MEMBER, server_default=MEMBER)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    responded_at: Mapped[datetime | None]  # accepted or declined by the target
    closed_at: Mapped[datetime | None]  # reached a final state
    reminded_at: Mapped[datetime | None]
    # How many of the outcome prompts (2, 6, 12 weeks after acceptance) were sent.
    outcome_prompts: Mapped[int] = mapped_column(default=0, server_default="0")
    decline_reason_code: Mapped[str | None] = mapped_column(String(20))
    decline_reason_text: Mapped[str | None] = mapped_column(Text)
    # The match at request time: score and model version as columns for analytics, and the
    # whole explanation {score, factors, contributions, reasons, model_version} as JSON.
    score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(64))
    match_snapshot: Mapped[dict | None]
    # The SME party's declared ownership groups when the introduction was made
    # (``ownership_key``): the program figures by group read this, as the exposure log keeps
    # its own, so they stay whole when the SME's profile is retired and its ownership erased.
    # NULL only for rows written without the ORM: read the profile's then.
    sme_ownership: Mapped[str | None] = mapped_column(String(40))
    # Both parties' countries (ISO alpha-2) when the introduction was made: whether its orders
    # are exports, its country pair and its groups by country read these, so a party that
    # moves later does not change past figures. NULL only for rows written without the ORM:
    # read the profile's then.
    requester_country: Mapped[str | None] = mapped_column(String(2))
    target_country: Mapped[str | None] = mapped_column(String(2))
    # Bumped by every change of the row (the state moves bump it in their SQL): the ETag.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    requester: Mapped[Profile] = relationship(foreign_keys=[requester_id])
    target: Mapped[Profile] = relationship(foreign_keys=[target_id])
    feedback: Mapped[list[IntroductionFeedback]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="IntroductionFeedback.id"
    )
    reviews: Mapped[list[IntroductionReview]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="IntroductionReview.id"
    )
    outcomes: Mapped[list[OutcomeStep]] = relationship(  # noqa: F821 - models.outcomes
        back_populates="introduction", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(OutcomeStep.occurred_on, OutcomeStep.id)"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def mentor_id(self) -> int | None:
        """Return the id of the party whose capacity the introduction uses, if any."""
        if self.kind == "sme_mentor":
            return self.target_id
        if self.kind == "mentor_sme":
            return self.requester_id
        return None

    @property
    def by_program(self) -> bool:
        """Tell whether the program made the introduction (not one party's request)."""
        return self.origin == PROGRAM

    def party_ids(self) -> tuple[int, int]:
        """Return the requester's and the target's profile ids."""
        return self.requester_id, self.target_id


@event.listens_for(Introduction, "before_insert")
def _keep_the_parties_then(mapper, connection, intro: Introduction) -> None:
    """Keep the SME party's ownership groups and both parties' countries on a new
    introduction (each unless given)."""
    if None not in (intro.sme_ownership, intro.requester_country, intro.target_country):
        return
    parties = {pid: (kind, owned, country) for pid, kind, owned, country in connection.execute(
        select(Profile.id, Profile.kind, Profile.ownership, Profile.country).where(
            Profile.id.in_((intro.requester_id, intro.target_id))))}
    if intro.sme_ownership is None:
        intro.sme_ownership = next((ownership_key(owned) for kind, owned, _ in parties.values()
                                    if kind == "sme"), "")
    # a party that does not exist is left to the foreign key to refuse
    if intro.requester_country is None:
        intro.requester_country = parties.get(intro.requester_id, (None,) * 3)[2]
    if intro.target_country is None:
        intro.target_country = parties.get(intro.target_id, (None,) * 3)[2]


class IntroductionFeedback(db.Model):
    """A party's rating of an accepted introduction (one per party)."""

    __tablename__ = "introduction_feedback"
    __table_args__ = (
        db.UniqueConstraint("introduction_id", "profile_id",
                            name="uq_introduction_feedback_party"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntroductionReview(db.Model):
    """A coordinator's rating of an introduction, optionally flagged for follow-up."""

    __tablename__ = "introduction_reviews"
    __table_args__ = (
        db.UniqueConstraint("introduction_id", "reviewer_id",
                            name="uq_introduction_reviews_reviewer"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    flag: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
