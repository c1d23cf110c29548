"""The program's matching rules: one row per pairing, set by coordinators.

A pairing is named ``<query kind>_<candidate kind>`` (``sme_mentor``: the mentors ranked for an
SME). A missing row means the defaults (no rule, every weight multiplier 1), so an empty table
ranks exactly as Puente did before rules existed. Every change of the rule set gives all its
rows one new ``version`` (the rule set's ETag); ``weights`` maps factor names to multipliers
of the model's weights (see ``matcher.rules``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow

RULE_PAIRINGS = ("sme_mentor", "sme_buyer", "mentor_sme", "buyer_sme")


class ProgramRule(db.Model):
    __tablename__ = "program_rules"
    __table_args__ = (
        CheckConstraint("pairing IN ('sme_mentor', 'sme_buyer', 'mentor_sme', 'buyer_sme')",
                        name="pairing_known"),
        CheckConstraint("min_score >= 0 AND min_score <= 1", name="min_score_range"),
    )

    pairing: Mapped[str] = mapped_column(String(12), primary_key=True)
    language_required: Mapped[bool] = mapped_column(default=False)
    cross_border_only: Mapped[bool] = mapped_column(default=False)
    min_score: Mapped[float] = mapped_column(default=0.0)
    needs_covered_required: Mapped[bool] = mapped_column(default=False)
    weights: Mapped[dict] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
