"""Outcomes of accepted introductions: the steps of their ladders, and the yearly USD rates.

A step is reported by one party and confirmed (or disputed) by the other, or by a coordinator
on a party's behalf. Amounts are stored as given, in their ISO 4217 currency; the impact report
converts them with the yearly rates admins keep in ``usd_rates``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import IDS_NEVER_REUSED, db, utcnow

TRADE_STAGES = ("met", "samples_sent", "quote_sent", "order_placed", "repeat_order", "ended")
MENTORSHIP_STAGES = ("session", "goal_achieved", "ended")
OUTCOME_STAGES = TRADE_STAGES + MENTORSHIP_STAGES[:-1]
REPORTED, CONFIRMED, DISPUTED = "reported", "confirmed", "disputed"
OUTCOME_STATUSES = (REPORTED, CONFIRMED, DISPUTED)
END_REASONS = ("price", "quality", "logistics", "regulation", "no_reply", "other")
GOALS = ("certification_obtained", "first_export", "financing_obtained", "new_market_entered",
         "supplier_registration")
AMOUNT_DIGITS, AMOUNT_PLACES = 18, 4


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class OutcomeStep(db.Model):
    """One step of an introduction's ladder (a meeting, an order, a mentoring session…)."""

    __tablename__ = "outcome_steps"
    __table_args__ = (
        CheckConstraint(_one_of("stage", OUTCOME_STAGES), name="stage_known"),
        CheckConstraint(_one_of("status", OUTCOME_STATUSES), name="status_known"),
        CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
        CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introductions.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(AMOUNT_DIGITS, AMOUNT_PLACES))
    currency: Mapped[str | None] = mapped_column(String(3))
    minutes: Mapped[int | None]
    topics: Mapped[list] = mapped_column(JSON, default=list)
    goal: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=REPORTED)
    # The party that reported the step (the other one confirms it), and who did.
    reported_for_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    answered_on_behalf: Mapped[bool] = mapped_column(default=False)
    answer_note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    introduction = relationship("Introduction", back_populates="outcomes")


class UsdRate(db.Model):
    """A year's average rate of a currency: how many units buy one US dollar."""

    __tablename__ = "usd_rates"
    __table_args__ = (CheckConstraint("units_per_usd > 0", name="rate_positive"),)

    year: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    units_per_usd: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    source: Mapped[str] = mapped_column(Text)
    # A documented (seeded) rate's source as a code and its parameters, worded in the reader's
    # language (``source`` holds its English wording); NULL for a source an admin typed.
    source_code: Mapped[str | None] = mapped_column(String(32))
    source_params: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
