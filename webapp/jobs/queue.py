"""The job queue: RQ on the Redis at ``REDIS_URL`` (``PUENTE_JOBS_REDIS_URL`` overrides it).

RQ was chosen over Celery and Dramatiq because it needs nothing but Redis, which the service
already runs for its rate limits, and its whole model (a queue, a worker that forks a child per
job, ``Retry``) fits in a page: a job whose child crashes or raises is put back on the queue
up to ``PUENTE_JOB_RETRIES`` times. Without a Redis URL there is no queue: :mod:`runner` then
runs the same functions itself.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Retry

QUEUE_NAME = "puente"


def redis_url(app: Flask | None = None) -> str | None:
    """Return the Redis URL of the job queue, or None when there is none."""
    config = (app or current_app).config
    return config.get("PUENTE_JOBS_REDIS_URL") or config.get("REDIS_URL") or None


def connection(app: Flask | None = None) -> Redis | None:
    """Return a Redis connection for the queue, or None without a Redis URL."""
    url = redis_url(app)
    return Redis.from_url(url) if url else None


def queue(redis: Redis, app: Flask | None = None) -> Queue:
    """Return the app's queue (its name carries the key prefix, so tests can keep apart)."""
    prefix = (app or current_app).config.get("PUENTE_JOBS_PREFIX", "puente")
    return Queue(f"{prefix}-{QUEUE_NAME}", connection=redis)


def is_waiting_or_running(redis: Redis, job_id: str) -> bool:
    """Tell whether the queue still holds the job, to run or running (not lost, not ended)."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        status = Job.fetch(job_id, connection=redis).get_status()
    except NoSuchJobError:
        return False
    return status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED,
                      JobStatus.DEFERRED)


def enqueue(redis: Redis, function: str, *args: Any, job_id: str | None = None) -> str:
    """Put a call of ``function`` (a dotted path) on the queue, retried when it fails."""
    config = current_app.config
    retries = int(config.get("PUENTE_JOB_RETRIES", 2))
    job = queue(redis).enqueue(function, *args, job_id=job_id,
                               retry=Retry(max=retries) if retries else None,
                               job_timeout=int(config.get("PUENTE_JOB_TIMEOUT", 3600)),
                               result_ttl=86400, failure_ttl=7 * 86400)
    return job.id
