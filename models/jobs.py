"""Background work: jobs started from a page (with their progress) and periodic ticks claimed.

A :class:`BackgroundJob` is the record a user follows: who started it, its progress and its
outcome (a result, or an error code with parameters, never a message). A
:class:`PeriodicTick` row holds the last time slot claimed of each periodic task, so that
several schedulers sharing a database run each slot once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import db, utcnow

QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
JOB_STATES = (QUEUED, RUNNING, FINISHED, FAILED)


class BackgroundJob(db.Model):
    __tablename__ = "background_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    stage: Mapped[str] = mapped_column(String(40), default="")  # a code, e.g. "fitting"
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(JSON)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_params: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class PeriodicTick(db.Model):
    __tablename__ = "periodic_ticks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger)  # seconds since the epoch // interval
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
