"""Jobs started from the API or a page: a job id, its progress at /api/v1/jobs/<id>, readable
by the user who started it and by staff only; a failure reads as a code in the caller's
language."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from models import BackgroundJob, ModelVersion, db, utcnow
from webapp.errors import Conflict
from webapp.services import background


@pytest.fixture
def no_queue(app):
    """The app without Redis: the jobs wait for the runner (``run_queued``)."""
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)
    return app


def test_training_runs_as_a_job_whose_progress_the_starter_follows(no_queue, client, as_role):
    _, coordinator = as_role("coordinator")
    started = client.post("/api/v1/models/train", headers=coordinator)
    assert started.status_code == 202
    job = started.get_json()
    assert (job["kind"], job["status"], job["progress"]) == ("train-model", "queued", 0)
    assert started.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert client.get(started.headers["Location"], headers=coordinator).get_json()[
        "status"] == "queued"

    assert background.run_queued() == 1

    done = client.get(f"/api/v1/jobs/{job['id']}", headers=coordinator).get_json()
    assert (done["status"], done["progress"], done["stage"], done["error"]) == (
        "finished", 100, "done", None)
    active = db.session.scalars(db.select(ModelVersion).where(ModelVersion.active)).one()
    assert done["result"]["version"] == active.version
    assert done["finished_at"] >= done["started_at"] >= done["created_at"]
    assert background.run_queued() == 0  # a finished job is not run again


def test_only_the_starter_and_staff_see_a_job(no_queue, client, as_role):
    starter, coordinator = as_role("coordinator")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    _, admin = as_role("admin")
    assert client.get(f"/api/v1/jobs/{job_id}", headers=admin).status_code == 200
    for role in ("sme", "mentor", "buyer"):
        _, headers = as_role(role)
        answer = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
        assert answer.status_code == 404
        assert answer.get_json()["error"]["code"] == "job_not_found"
        assert client.post("/api/v1/models/train", headers=headers).status_code == 403
    assert client.get(f"/api/v1/jobs/{job_id}").status_code == 401
    assert client.get("/api/v1/jobs/" + "x" * 300, headers=coordinator).status_code == 404


def test_a_refused_job_fails_with_its_code_in_the_callers_language(
        no_queue, client, as_role, monkeypatch):
    def refuse(actor, params, progress):
        progress(40, "fitting")
        raise Conflict("concurrent_change")

    monkeypatch.setitem(background.KINDS, "train-model", refuse)
    user, coordinator = as_role("coordinator", locale="es")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    background.run_queued()
    job = client.get(f"/api/v1/jobs/{job_id}", headers={**coordinator,
                                                        "Accept-Language": "es"}).get_json()
    assert (job["status"], job["progress"], job["stage"]) == ("failed", 40, "fitting")
    assert job["error"]["code"] == "concurrent_change"
    assert job["error"]["message"].startswith("La solicitud")


def test_a_crashing_job_is_tried_again_then_fails(no_queue, client, as_role, monkeypatch):
    calls = []

    def crash(actor, params, progress):
        calls.append(1)
        raise RuntimeError("worker lost its database")

    monkeypatch.setitem(background.KINDS, "train-model", crash)
    _, coordinator = as_role("coordinator")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    for _ in range(5):
        background.run_queued()
    assert len(calls) == 1 + no_queue.config["PUENTE_JOB_RETRIES"]
    job = db.session.get(BackgroundJob, job_id)
    db.session.refresh(job)
    assert (job.state, job.error_code, job.attempts) == ("failed", "job_failed", len(calls))


def test_the_queue_retakes_a_job_its_crashed_worker_left_running(no_queue, client, as_role):
    _, coordinator = as_role("coordinator")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    db.session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(
        state="running", attempts=1, started_at=utcnow()))  # as a worker that died left it
    db.session.commit()
    assert background.run_queued() == 0  # the runner without a queue waits for it to go stale
    assert background.run_job(job_id, retaking=True)  # RQ's retry of the job takes it again
    job = client.get(f"/api/v1/jobs/{job_id}", headers=coordinator).get_json()
    assert (job["status"], job["progress"]) == ("finished", 100)


def test_a_job_whose_worker_died_on_its_last_attempt_fails_rather_than_run_forever(
        no_queue, client, as_role):
    """A worker that dies (killed, out of memory, its host gone) runs no ``except``: on the
    last attempt no retry comes, so the sweep fails the job once it has been running longer
    than a job may (was: "Running" on its page and in the API for ever)."""
    from datetime import timedelta

    from webapp.services.sweep import sweep_introductions

    _, coordinator = as_role("coordinator")
    ids = [client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
           for _ in range(2)]
    config = no_queue.config
    last = 1 + config["PUENTE_JOB_RETRIES"]
    longest = max(timedelta(seconds=config["PUENTE_JOB_TIMEOUT"] + 60),
                  timedelta(minutes=config["PUENTE_JOB_STALE_MINUTES"]))
    for job_id, started in zip(ids, (utcnow() - longest - timedelta(minutes=1),
                                     utcnow() - timedelta(minutes=5)), strict=True):
        db.session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(
            state="running", attempts=last, started_at=started, stage="fitting", progress=40))
    db.session.commit()

    assert background.run_queued() == 0  # no attempt left: not run again
    assert sweep_introductions(deliver=False).jobs_failed == 1
    abandoned = client.get(f"/api/v1/jobs/{ids[0]}",
                           headers={**coordinator, "Accept-Language": "fr"}).get_json()
    assert (abandoned["status"], abandoned["error"]["code"]) == ("failed", "job_failed")
    assert abandoned["finished_at"] and abandoned["error"]["message"]
    recent = client.get(f"/api/v1/jobs/{ids[1]}", headers=coordinator).get_json()
    assert recent["status"] == "running"  # it may still be working on its last attempt
    assert sweep_introductions(deliver=False).jobs_failed == 0  # once


@pytest.fixture
def queue_redis(app):
    """The app with a job queue on the test Redis (``TEST_REDIS_URL``), a queue of its own."""
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
    yield redis
    from tests.multiprocess.test_two_hosts import forget_queue

    forget_queue(redis, prefix)
    redis.close()


def test_a_job_the_queue_lost_is_queued_again_and_runs(app, queue_redis, client, as_role):
    """Redis keeps only what may be lost: a page job whose queue entry went (a Redis restarted
    without its data) is put on the queue again by the sweep, and runs (was: "queued" for
    ever)."""
    from datetime import timedelta

    from rq.job import Job

    from webapp.jobs import queue
    from webapp.services.sweep import sweep_introductions

    _, coordinator = as_role("coordinator")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    assert Job.exists(job_id, connection=queue_redis)
    assert sweep_introductions(deliver=False).jobs_requeued == 0  # on the queue: left alone
    Job.fetch(job_id, connection=queue_redis).delete()  # the queue lost it
    db.session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(
        created_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()

    assert sweep_introductions(deliver=False).jobs_requeued == 1
    again = Job.fetch(job_id, connection=queue_redis)
    assert again.func_name == "webapp.jobs.tasks.run_background" and again.args == (job_id,)
    assert queue.is_waiting_or_running(queue_redis, job_id)
    assert background.run_job(job_id, retaking=True)  # what the worker's call does
    done = client.get(f"/api/v1/jobs/{job_id}", headers=coordinator).get_json()
    assert (done["status"], done["progress"]) == ("finished", 100)
    assert sweep_introductions(deliver=False).jobs_requeued == 0


@pytest.mark.parametrize("job_id", ["%00", "a%00b", "%C3%A9t%C3%A9", "x%20y", "-" * 33])
def test_an_id_no_job_can_have_is_not_found_on_any_database(no_queue, client, as_role,
                                                            job_id):
    """A NUL or any other text no job id holds is 404, never a 500 (PostgreSQL refuses NUL in
    a query's text)."""
    _, coordinator = as_role("coordinator")
    for path in (f"/api/v1/jobs/{job_id}", f"/api/v1/jobs/{job_id}/file"):
        answer = client.get(path, headers=coordinator)
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == (
            "job_not_found")
