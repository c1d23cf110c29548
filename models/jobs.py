"""Background work: jobs started from a page (with their progress) and periodic ticks claimed.

A :class:`BackgroundJob` is the record a user follows: who started it, its progress and its
outcome (a result, or an error code with parameters, never a message). A :class:`JobFile`
is the file a job made (a CSV export), kept in the database so that any host serves it. A
:class:`PeriodicTick` row holds the last time slot claimed of each periodic task, so that
several schedulers sharing a database run each slot once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String
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


class JobFile(db.Model):
    """The file a job made, written with the job's result; the sweep deletes old ones."""

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(
        ForeignKey("background_jobs.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int]  # bytes
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PeriodicTick(db.Model):
    __tablename__ = "periodic_ticks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    slot: Mapped[int] = mapped_column(BigInteger)  # seconds since the epoch // interval
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
