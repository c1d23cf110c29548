"""Files made by background jobs (CSV exports), kept in the database so that any host serves
them: written with the job's result in one transaction, read by the job's followers, deleted
by the sweep after ``PUENTE_EXPORT_KEEP_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.orm import undefer

from models import BackgroundJob, JobFile, db, utcnow
from models.jobs import FINISHED
from webapp.errors import Conflict, NotFound
from webapp.services.transactions import write_transaction


@dataclass(frozen=True)
class FileMade:
    """A file a job made, to keep beside its result."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Made:
    """What a job that makes a file returns: its result and the file to keep with it."""

    result: dict[str, Any]
    file: FileMade


def add(job_id: str, made: FileMade) -> None:
    """Add the job's file to the session (inside the transaction that finishes the job)."""
    db.session.add(JobFile(job_id=job_id, filename=made.filename, content=made.content,
                           content_type=made.content_type, size=len(made.content),
                           created_at=utcnow()))


def kept(job_id: str) -> JobFile | None:
    """Return the job's file without its content (None if it has none, or no longer)."""
    return db.session.scalars(db.select(JobFile).where(JobFile.job_id == job_id)).first()


def file_of(job: BackgroundJob) -> JobFile:
    """Return the file of a job its reader may follow, content loaded.

    Conflict while the job has not finished; NotFound when it made no file, or its file was
    deleted after the days files are kept.
    """
    if job.state != FINISHED:
        raise Conflict("job_not_finished", id=job.id)
    found = db.session.scalars(db.select(JobFile).options(undefer(JobFile.content))
                               .where(JobFile.job_id == job.id)).first()
    if found is None:
        if (job.result or {}).get("filename"):
            raise NotFound("job_file_deleted", id=job.id, days=keep_days())
        raise NotFound("job_file_not_found", id=job.id)
    return found


def keep_days() -> int:
    """Return how many days the files of jobs are kept."""
    return int(current_app.config["PUENTE_EXPORT_KEEP_DAYS"])


def delete_old(now: datetime | None = None) -> int:
    """Delete the files older than the days they are kept; return how many went."""
    cutoff = (now or utcnow()) - timedelta(days=keep_days())
    with write_transaction():
        return db.session.execute(delete(JobFile).where(JobFile.created_at <= cutoff)).rowcount
