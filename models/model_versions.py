"""Versions of the matching model: the saved bundle, its weights, metrics and status.

The database is the single source of truth for which model serves: every worker process, on
any host, asks which version is active and loads that bundle from here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from models.base import IDS_NEVER_REUSED, db, utcnow


class ModelVersion(db.Model):
    __tablename__ = "model_versions"
    __table_args__ = (
        # At most one active version.
        Index("uq_model_versions_active", "active", unique=True,
              sqlite_where=text("active"), postgresql_where=text("active")),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    n_profiles: Mapped[int] = mapped_column(default=0)
    n_outcomes: Mapped[int] = mapped_column(default=0)
    weights: Mapped[dict] = mapped_column(default=dict)  # direction -> {factor: w, "(bias)": b}
    metrics: Mapped[dict] = mapped_column(default=dict)  # held-out comparison per direction
    promoted: Mapped[bool] = mapped_column(default=False)  # beat the model it was tested against
    active: Mapped[bool] = mapped_column(default=False)  # the one serving now
    note: Mapped[str] = mapped_column(String(200), default="")
    # ModelBundle.to_bytes(): an .npz of arrays plus JSON, read without unpickling anything
    bundle: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
