"""``flask jobs``: the scheduler and a job worker in one process.

With Redis (``REDIS_URL``): a scheduler thread claims each task's slots in Redis and enqueues
them; the main thread is an RQ worker (a forked child per job, ``Retry`` on failure). Run it on
as many hosts as wanted: a slot is enqueued once, a job is taken by one worker.

Without Redis (the SQLite default of ``make run``): the process claims slots in the database
and runs the same functions itself, then the jobs started from pages. Several such runners on
one database still run a slot once (the claim is a conditional update).
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from webapp.jobs import periodic, queue
from webapp.services import background

log = logging.getLogger(__name__)


def run(app: Flask, *, once: bool = False, burst: bool = False) -> list[str]:
    """Run the scheduler and the worker until stopped (``once``: one tick, then return;
    ``burst``: until no job is left, then return)."""
    redis = queue.connection(app)
    if redis is None:
        return _run_without_queue(app, once, burst)
    if once:
        with app.app_context():
            return _tick_redis(app, redis)
    stop = threading.Event()
    threading.Thread(target=_schedule, args=(app, redis, stop), daemon=True,
                     name="puente-scheduler").start()
    try:
        _work(app, redis, burst)
    finally:
        stop.set()
    return []


def _tick_redis(app: Flask, redis) -> list[str]:
    claims = periodic.RedisClaims(redis, app.config.get("PUENTE_JOBS_PREFIX", "puente"))
    return periodic.tick(claims, lambda name, slot: queue.enqueue(
        redis, "webapp.jobs.tasks.run_periodic", name, slot))


def _schedule(app: Flask, redis, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with app.app_context():
                _tick_redis(app, redis)
        except Exception:  # a lost connection must not end the schedule
            log.exception("scheduler tick failed")
        stop.wait(app.config["PUENTE_JOBS_POLL_SECONDS"])


def _work(app: Flask, redis, burst: bool) -> None:
    from rq import Worker

    with app.app_context():  # the forked child of each job inherits it
        Worker([queue.queue(redis, app)], connection=redis).work(
            burst=burst, logging_level="INFO")


def _run_without_queue(app: Flask, once: bool, burst: bool = False) -> list[str]:
    claims = periodic.DatabaseClaims()
    while True:
        with app.app_context():
            ran = periodic.tick(claims, _run_logged)
            background.run_queued()
            while burst and background.run_queued():  # burst: until no queued job is left
                pass
        if once or burst:
            return ran
        time.sleep(app.config["PUENTE_JOBS_POLL_SECONDS"])


def _run_logged(name: str, slot: int) -> None:
    try:
        periodic.run_task(name, slot)
    except Exception:  # the next slot tries again; the others still run
        log.exception("periodic task %s failed", name)
