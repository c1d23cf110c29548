"""Exposure log: which profiles a ranking showed, at which rank, to whom.

One row per profile in the top 10 of a ranking served to a participant. The aggregate metrics
must survive account deletion, so the profile ids are nullable (``SET NULL`` when a profile is
deleted) and each row keeps, as of the time it was shown, what the exposure metrics group by:
the country and the declared ownership groups of the pairing's SME (whichever side is the SME).
Those two are program statistics, not contact details.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow

IMPRESSION_RANKS = 10  # a ranking's first ten results are logged
# pairing (as introductions' kinds) -> (requester kind, shown kind)
PAIRING_SIDES = {"sme_mentor": ("sme", "mentor"), "sme_buyer": ("sme", "buyer"),
                 "buyer_sme": ("buyer", "sme"), "mentor_sme": ("mentor", "sme")}


class MatchImpression(db.Model):
    __tablename__ = "match_impressions"
    __table_args__ = (
        CheckConstraint(f"rank BETWEEN 1 AND {IMPRESSION_RANKS}", name="rank_range"),
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in PAIRING_SIDES) + ")",
                        name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ranking: Mapped[str] = mapped_column(String(32))  # one random key per ranking served
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL"), index=True
    )
    shown_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL"), index=True
    )
    rank: Mapped[int]
    kind: Mapped[str] = mapped_column(String(12))
    sme_country: Mapped[str] = mapped_column(String(2))
    # Sorted and comma-separated ("" for none declared): a plain string SQL can group by.
    sme_ownership: Mapped[str] = mapped_column(String(40), default="")
