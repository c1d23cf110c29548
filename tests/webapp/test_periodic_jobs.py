"""Periodic work runs by itself: ``flask jobs`` claims each task's time slot once (here in the
database, as ``make run`` does without Redis) and runs the sweep, mail delivery and retraining."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from models import Introduction, ModelVersion, PeriodicTick, db
from tests.intro_factories import make_party, outbox, request_intro
from webapp.jobs import periodic
from webapp.jobs import runner as job_runner


@pytest.fixture
def no_queue(app):
    """The app without Redis, whatever the environment says."""
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)
    return app


def test_a_slot_is_claimed_once_and_the_next_slot_again(no_queue):
    claims = periodic.DatabaseClaims()
    assert claims.claim("sweep-introductions", 100, 60)
    assert not claims.claim("sweep-introductions", 100, 60)
    assert not claims.claim("sweep-introductions", 99, 60)  # a late scheduler's old slot
    assert claims.claim("sweep-introductions", 101, 60)
    assert claims.claim("deliver-mail", 100, 60)  # each task has its own slots
    assert db.session.get(PeriodicTick, "sweep-introductions").slot == 101


def test_tick_dispatches_each_due_task_once_per_slot(no_queue):
    ran = []
    dispatch = lambda name, slot: ran.append(name)  # noqa: E731
    claims = periodic.DatabaseClaims()
    now = 1_800_000_000.0
    assert periodic.tick(claims, dispatch, now) == list(periodic.TASKS)
    assert periodic.tick(claims, dispatch, now + 1) == []
    assert periodic.tick(claims, dispatch, now + 60) == ["sweep-introductions",
                                                            "deliver-mail"]
    no_queue.config["PUENTE_MAIL_SECONDS"] = 0  # switched off
    assert periodic.tick(claims, dispatch, now + 120) == ["sweep-introductions"]
    assert ran.count("train-model") == 1


def test_the_runner_sweeps_stale_requests_mails_and_trains_without_any_command(
        no_queue, client, as_role):
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor", locale="es")
    intro = request_intro(client, sme, mentor)
    weeks_ago = db.session.get(Introduction, intro["id"]).created_at - timedelta(days=30)
    db.session.execute(update(Introduction).where(Introduction.id == intro["id"])
                       .values(created_at=weeks_ago))
    db.session.commit()

    assert job_runner.run(no_queue, once=True) == list(periodic.TASKS)

    db.session.expire_all()
    assert db.session.get(Introduction, intro["id"]).state == "expired"
    assert {m.template: m.status for m in outbox(sme.user_id)} == {
        "expired_requester": "logged"}
    # One trained model active (the default served before it may be stored too, inactive,
    # for a rollback; whether it differs from the trained one depends on the clock's second).
    active = db.session.scalars(db.select(ModelVersion).where(ModelVersion.active)).all()
    assert len(active) == 1 and active[0].note != "the default model served before any training"
    assert job_runner.run(no_queue, once=True) == []  # nothing due again in the same slots


def test_jobs_command_once_says_what_ran(no_queue, runner):
    assert runner.invoke(args=["jobs", "--once"]).output == (
        "Ran: sweep-introductions, deliver-mail, train-model, build-snapshot.\n")
    assert runner.invoke(args=["jobs", "--once"]).output == "Ran: nothing due.\n"


def test_burst_without_redis_runs_what_is_due_and_the_queued_jobs_then_returns(
        no_queue, client, as_role):
    """``flask jobs --burst`` stops once nothing is left, with or without Redis (was: without
    Redis it ran for ever, as a plain ``flask jobs``)."""
    import threading

    from models import BackgroundJob

    _, coordinator = as_role("coordinator")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    ran: list = []
    burst = threading.Thread(target=lambda: ran.append(job_runner.run(no_queue, burst=True)),
                             daemon=True)
    burst.start()
    burst.join(timeout=60)
    assert not burst.is_alive() and ran == [list(periodic.TASKS)]
    db.session.expire_all()
    assert db.session.get(BackgroundJob, job_id).state == "finished"


def test_jobs_command_once_with_redis_says_it_queued_them(app, runner):
    """With Redis one tick only puts the due tasks on the queue for the workers: it says so
    (was: "Ran: …" though nothing had run)."""
    import os
    import uuid

    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    redis = Redis.from_url(url)
    try:
        redis.ping()
    except RedisError as err:
        pytest.skip(f"Redis is not reachable at {url}: {err}")
    prefix = f"puente-test-{uuid.uuid4().hex[:10]}"
    app.config.update(REDIS_URL=url, PUENTE_JOBS_PREFIX=prefix)
    try:
        assert runner.invoke(args=["jobs", "--once"]).output == (
            "Queued for the job workers: sweep-introductions, deliver-mail, train-model, "
            "build-snapshot.\n")
        assert runner.invoke(args=["jobs", "--once"]).output == "Queued for the job workers: "\
            "nothing due.\n"
    finally:
        from tests.multiprocess.test_two_hosts import forget_queue

        forget_queue(redis, prefix)
        redis.close()
