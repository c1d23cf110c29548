"""Jobs started from a page: recorded with their progress, run by a job worker, followed by
the user who started them (and program staff).

``start_job`` writes the job's row and, with a queue, puts ``run_job`` on it; without one the
``flask jobs`` runner picks queued rows up (``run_queued``). ``run_job`` claims the row by a
conditional update (two workers never run one job; a row left running by a crashed worker is
taken again after ``PUENTE_JOB_STALE_MINUTES``), reports progress in short transactions of its
own, and records the result, or the refusal's code and parameters (never a message). A kind
that makes a file (a CSV export) returns a ``job_files.Made``: its file is written in the
transaction that records the result, so a finished job always has its file.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, update

from models import BackgroundJob, User, db, utcnow
from models.jobs import FAILED, FINISHED, QUEUED, RUNNING
from webapp import policy
from webapp.errors import NotFound, Problem, PuenteError
from webapp.services import cohorts, export_files, job_files, model_training
from webapp.services.audit import record
from webapp.services.job_files import FileMade, Made
from webapp.services.transactions import write_transaction

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
JOB_FAILED = "job_failed"
FIELDS = "fields"  # error_params key of the field problems of a refusal
JOB_ID = re.compile(r"[0-9A-Za-z_-]{1,32}")  # what an id may hold (made: 32 hex digits)


def train_model(actor: User | None, params: dict, progress: Progress) -> dict[str, Any]:
    """Train the model (its promotion gate decides what serves) with visible progress."""
    result = model_training.train_model(actor, seed=int(params.get("seed", 0)),
                                        progress=progress)
    return {"version": result.version.version, "promoted": list(result.promoted),
            "decisions": result.decisions,
            "n_profiles": result.version.n_profiles, "n_outcomes": result.version.n_outcomes}


def run_cohort(actor: User | None, params: dict, progress: Progress) -> dict[str, Any]:
    """Allocate a cohort (the allocation form's validated request) and store the draft."""
    if actor is None:  # its starter's account was deleted meanwhile
        raise NotFound("job_not_found")
    proposal = cohorts.propose(actor, params, progress=progress)
    return {"proposal_id": proposal.id, "pairs": len(proposal.result["pairs"]),
            "unassigned": len(proposal.result["unassigned"])}


KINDS: dict[str, Callable[[User | None, dict, Progress], dict[str, Any] | Made]] = {
    "train-model": train_model,
    "cohort-run": run_cohort,
    "csv-export": export_files.run_export,
}


def start_job(actor: User, kind: str, params: dict | None = None) -> BackgroundJob:
    """Record a job for the actor and hand it to the queue (or the runner); return it."""
    with write_transaction():
        job = BackgroundJob(id=secrets.token_hex(16), kind=kind, state=QUEUED, progress=0,
                            stage="queued", params=params or {}, attempts=0,
                            started_by_id=actor.id, created_at=utcnow())
        db.session.add(job)
        record("job.start", "background_job", None, actor=actor, kind=kind, job=job.id)
    _dispatch(job.id)
    return job


def _dispatch(job_id: str) -> None:
    from webapp.jobs import queue

    redis = queue.connection()
    if redis is not None:
        queue.enqueue(redis, "webapp.jobs.tasks.run_background", job_id, job_id=job_id)


def find_job(actor: User, job_id: str) -> BackgroundJob:
    """Return a job the actor may follow; NotFound for any other (its existence included)."""
    job = db.session.get(BackgroundJob, job_id) if JOB_ID.fullmatch(job_id) else None
    if job is None or not policy.may_follow_job(actor, job):
        raise NotFound("job_not_found")
    return job


def run_job(job_id: str, *, retaking: bool = False) -> bool:
    """Run a queued job (or one a crashed worker left); False when it was not to be run.

    ``retaking``: the queue hands the job over, and it hands a job to one worker at a time, so
    a row a crashed worker left running is taken again at once (RQ's retry of that job).
    """
    if not _claim(job_id, retaking):
        return False
    job = db.session.get(BackgroundJob, job_id)
    actor = db.session.get(User, job.started_by_id) if job.started_by_id else None
    kind, params = job.kind, dict(job.params)
    db.session.rollback()  # hold no transaction while the job works
    try:
        result = KINDS[kind](actor, params, lambda pct, stage: _progress(job_id, pct, stage))
    except PuenteError as err:
        _finish(job_id, FAILED, error_code=err.code, error_params=error_params(err))
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        if _attempts(job_id) < _max_attempts():
            _finish(job_id, QUEUED, stage="queued")  # the queue (or the runner) tries again
            raise
        _finish(job_id, FAILED, error_code=JOB_FAILED, error_params={})
    else:
        made = result if isinstance(result, Made) else None
        _finish(job_id, FINISHED, result=made.result if made else result, progress=100,
                stage="done", file=made.file if made else None)
    return True


def run_queued(limit: int = 5) -> int:
    """Run the queued jobs (the runner without a queue); return how many ran."""
    ran = 0
    for job_id in list(db.session.scalars(
            _runnable(db.select(BackgroundJob.id)).order_by(BackgroundJob.created_at)
            .limit(limit))):
        try:
            ran += run_job(job_id)
        except Exception:  # logged by run_job; its row says queued or failed
            ran += 1
    return ran


def fail_abandoned(now: datetime | None = None) -> int:
    """Fail the jobs left running on their last attempt for longer than a job may run (their
    worker died: no ``except`` ran and no retry comes); return how many."""
    config = current_app.config
    longest = max(timedelta(seconds=int(config["PUENTE_JOB_TIMEOUT"]) + 60),
                  timedelta(minutes=int(config["PUENTE_JOB_STALE_MINUTES"])))
    now = now or utcnow()
    with write_transaction():
        return db.session.execute(update(BackgroundJob).where(
            BackgroundJob.state == RUNNING, BackgroundJob.attempts >= _max_attempts(),
            BackgroundJob.started_at <= now - longest,
        ).values(state=FAILED, finished_at=now, error_code=JOB_FAILED, error_params={})).rowcount


def requeue_lost(now: datetime | None = None) -> int:
    """With a queue: put back on it the page jobs it no longer holds (a Redis restarted
    without its data) — queued a minute ago or more, or left running longer than
    ``PUENTE_JOB_STALE_MINUTES`` — with attempts left; return how many."""
    from webapp.jobs import queue

    redis = queue.connection()
    if redis is None:  # the runner without a queue takes queued and stale rows itself
        return 0
    now = now or utcnow()
    stale = now - timedelta(minutes=current_app.config["PUENTE_JOB_STALE_MINUTES"])
    waiting = list(db.session.scalars(db.select(BackgroundJob.id).where(
        BackgroundJob.attempts < _max_attempts(),
        or_((BackgroundJob.state == QUEUED) & (BackgroundJob.created_at <= now
                                               - timedelta(minutes=1)),
            (BackgroundJob.state == RUNNING) & (BackgroundJob.started_at <= stale)))))
    db.session.rollback()
    lost = [job_id for job_id in waiting if not queue.is_waiting_or_running(redis, job_id)]
    for job_id in lost:
        queue.enqueue(redis, "webapp.jobs.tasks.run_background", job_id, job_id=job_id)
    return len(lost)


def _runnable(query, retaking: bool = False):
    stale = utcnow() - timedelta(minutes=0 if retaking else
                                 current_app.config["PUENTE_JOB_STALE_MINUTES"])
    return query.where(
        BackgroundJob.attempts < _max_attempts(),
        or_(BackgroundJob.state == QUEUED,
            (BackgroundJob.state == RUNNING) & (BackgroundJob.started_at <= stale)))


def error_params(err: PuenteError) -> dict[str, Any]:
    """Return a refusal's parameters to store, with its field problems (as codes) if any."""
    params = dict(err.params)
    if err.fields:
        params[FIELDS] = {name: [{"code": p.code, "params": dict(p.params)} for p in problems]
                          for name, problems in err.fields.items()}
    return params


def field_problems(job: BackgroundJob) -> dict[str, list[Problem]]:
    """Return the field problems a failed job stored, by the field's name."""
    stored = (job.error_params or {}).get(FIELDS) or {}
    return {name: [Problem(p["code"], **(p.get("params") or {})) for p in problems]
            for name, problems in stored.items()}


def refusal_params(job: BackgroundJob) -> dict[str, Any]:
    """Return the parameters of a failed job's refusal, without its field problems."""
    return {k: v for k, v in (job.error_params or {}).items() if k != FIELDS}


def _max_attempts() -> int:
    return 1 + int(current_app.config.get("PUENTE_JOB_RETRIES", 2))


def _claim(job_id: str, retaking: bool) -> bool:
    with write_transaction():
        claimed = db.session.execute(_runnable(
            update(BackgroundJob).where(BackgroundJob.id == job_id), retaking
        ).values(state=RUNNING, started_at=utcnow(), attempts=BackgroundJob.attempts + 1,
                 stage="started", progress=0)).rowcount
    return bool(claimed)


def _attempts(job_id: str) -> int:
    return db.session.scalar(db.select(BackgroundJob.attempts)
                             .where(BackgroundJob.id == job_id)) or 0


def _progress(job_id: str, percent: int, stage: str) -> None:
    with write_transaction():
        db.session.execute(update(BackgroundJob).where(
            BackgroundJob.id == job_id, BackgroundJob.state == RUNNING
        ).values(progress=max(0, min(100, int(percent))), stage=stage))


def _finish(job_id: str, state: str, file: FileMade | None = None, **values: Any) -> None:
    db.session.rollback()
    finished = {"finished_at": utcnow()} if state in (FINISHED, FAILED) else {}
    with write_transaction():
        db.session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id)
                           .values(state=state, **finished, **values))
        if file is not None:
            job_files.add(job_id, file)
