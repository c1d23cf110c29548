"""Two app hosts — two gunicorn instances on two ports — sharing one database and one Redis
behave as one service: a profile written through one ranks at once on the other, rate limits
count across both, a session and its CSRF token from one work on the other, and two job
runners (scheduler + RQ worker each) run a periodic task once a slot and take page jobs.

On CI the PostgreSQL pass runs this on PostgreSQL; Redis is ``TEST_REDIS_URL`` (default the
local server's database 5); every run uses key prefixes of its own and deletes its keys.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import update

from models import Introduction, db
from tests.factories import payload
from tests.multiprocess.servers import call, send, worker
from webapp.services import accounts

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def redis() -> Iterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except RedisError as err:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {err}")
    yield client
    client.close()


@pytest.fixture
def shared_env(redis) -> Iterator[dict[str, str]]:
    """What both hosts (and the job runners) are configured with; its Redis keys removed."""
    run = uuid.uuid4().hex[:10]
    env = {"REDIS_URL": REDIS_URL, "PUENTE_RATELIMIT_PREFIX": f"puente-test-{run}",
           "PUENTE_JOBS_PREFIX": f"puente-test-{run}", "PUENTE_MATCHING_REFRESH_MS": "200",
           "PUENTE_LOGIN_LIMIT": "4 per minute", "PUENTE_ARGON2_TIME_COST": "1",
           "PUENTE_ARGON2_MEMORY_KIB": "8192",
           "PUENTE_SWEEP_SECONDS": "0", "PUENTE_MAIL_SECONDS": "0", "PUENTE_TRAIN_SECONDS": "0"}
    yield env
    forget_queue(redis, f"puente-test-{run}")


def forget_queue(redis: Redis, prefix: str) -> None:
    """Delete the run's keys: its counters, claims and queue, and its jobs and their results."""
    queue = f"{prefix}-puente".encode()
    for key in redis.scan_iter("rq:job:*"):
        if redis.hget(key, "origin") == queue:
            job_id = key.decode().removeprefix("rq:job:")
            redis.delete(key, f"rq:results:{job_id}", f"rq:job:{job_id}:dependents")
    redis.srem("rq:queues", b"rq:queue:" + queue)
    keys = redis.keys(f"*{prefix}*")
    if keys:
        redis.delete(*keys)


@contextmanager
def two_hosts(database_url: str, env: dict[str, str]) -> Iterator[tuple[str, str]]:
    with worker(database_url, env=env) as a, worker(database_url, env=env) as b:
        yield a, b


@contextmanager
def job_runner(database_url: str, env: dict[str, str], log: Path) -> Iterator[None]:
    """Run ``flask jobs`` (scheduler + RQ worker) as a process of its own."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "webapp", "jobs"],
            env={**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                 "OPENBLAS_NUM_THREADS": "1", **env}, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_a_profile_written_through_one_host_ranks_on_the_other(app, database_url, make_user,
                                                                shared_env):
    _, token = accounts.issue_token(make_user("coordinator"))
    with two_hosts(database_url, shared_env) as (a, b):
        sme = call(a, "POST", "/api/v1/smes", token, payload("sme"))["id"]
        assert matches(b, token, sme) == []
        mentor = call(a, "POST", "/api/v1/mentors", token, payload("mentor"))["id"]
        assert matches(b, token, sme) == ["Rosa Delgado"]
        call(b, "PATCH", f"/api/v1/mentors/{mentor}", token, {"name": "Rosa D."})
        assert matches(a, token, sme) == ["Rosa D."]


def matches(base: str, token: str, sme_id: int) -> list[str]:
    time.sleep(0.25)  # the longest a worker serves its last check of the change feed
    body = call(base, "GET", f"/api/v1/smes/{sme_id}/matches", token)
    return [m["profile"]["name"] for m in body["matches"]]


def test_rate_limits_count_across_both_hosts(app, database_url, shared_env):
    body = {"email": "somebody@example.test", "password": "wrong horse battery"}
    with two_hosts(database_url, shared_env) as (a, b):
        statuses = [send(host, "POST", "/api/v1/auth/tokens", "none", body).status
                    for host in (a, b) * 4]
    assert statuses == [401] * 4 + [429] * 4  # 4 a minute in all, not 4 on each host


class Browser:
    """A browser behind a load balancer: one cookie jar for both hosts, redirects shown."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect)

    def open(self, url: str, form: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(url, data=data, timeout=60) as answer:
                return answer.status, answer.headers.get("Location", ""), answer.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location", ""), err.read().decode()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_a_session_and_its_csrf_token_work_on_either_host(app, database_url, make_user,
                                                          shared_env):
    user = make_user("coordinator", password=PASSWORD)
    browser = Browser()
    with two_hosts(database_url, shared_env) as (a, b):
        _, _, login_page = browser.open(a + "/login")
        status, location, _ = browser.open(b + "/login", {
            "email": user.email, "password": PASSWORD, "csrf_token": csrf_of(login_page)})
        assert (status, location) == (302, "/")
        status, _, page = browser.open(a + "/model")
        assert status == 200 and user.email in page
        refused, _, _ = browser.open(b + "/model/train", {})
        assert refused == 400  # the CSRF check is on
        status, location, _ = browser.open(b + "/model/train", {"csrf_token": csrf_of(page)})
        assert status == 303 and location.startswith("/jobs/")
        assert browser.open(a + location)[0] == 200


def test_two_job_runners_run_a_periodic_task_once_a_slot_and_take_page_jobs(
        app, database_url, make_user, as_role, shared_env, redis, tmp_path):
    intro_id = stale_request(database_url, as_role, app)
    _, token = accounts.issue_token(make_user("coordinator"))
    env = {**shared_env, "PUENTE_SWEEP_SECONDS": "1", "PUENTE_JOBS_POLL_SECONDS": "0.2"}
    logs = [tmp_path / "runner-1.log", tmp_path / "runner-2.log"]
    with two_hosts(database_url, env) as (a, b), ExitStack() as runners:
        for log in logs:
            runners.enter_context(job_runner(database_url, env, log))
        job = call(a, "POST", "/api/v1/models/train", token)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and job["status"] not in ("finished", "failed"):
            time.sleep(0.5)
            job = call(b, "GET", f"/api/v1/jobs/{job['id']}", token)
        assert (job["status"], job["progress"]) == ("finished", 100), job
        time.sleep(4)  # a few more slots of the sweep
    slots = [int(s) for log in logs for s in re.findall(
        r"periodic task sweep-introductions \(slot (\d+)\)", log.read_text())]
    assert len(slots) >= 4, [log.read_text()[-2000:] for log in logs]
    assert len(slots) == len(set(slots)), sorted(slots)  # no slot ran twice
    db.session.expire_all()
    assert db.session.get(Introduction, intro_id).state == "expired"


def stale_request(database_url, as_role, app) -> int:
    """Create a request made a month ago and never answered; return its id."""
    from tests.intro_factories import make_party, request_intro

    client = app.test_client()
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor")
    intro = request_intro(client, sme, mentor)
    made = db.session.get(Introduction, intro["id"]).created_at
    db.session.execute(update(Introduction).where(Introduction.id == intro["id"]).values(
        created_at=made - timedelta(days=30)))
    db.session.commit()
    return intro["id"]


def test_a_job_whose_worker_crashes_is_retried(app, shared_env, redis, database_url):
    from rq import Queue

    marker = Path(tempfile.mkdtemp()) / "crashed"
    queue = Queue(f"{shared_env['PUENTE_JOBS_PREFIX']}-puente", connection=redis)
    with app.app_context():
        app.config.update(REDIS_URL=REDIS_URL, PUENTE_JOBS_PREFIX=shared_env["PUENTE_JOBS_PREFIX"])
        from webapp.jobs.queue import enqueue

        job_id = enqueue(redis, "tests.multiprocess.crashing_job.crash_once", str(marker))
    subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "jobs", "--burst"],
                   env={**os.environ, "DATABASE_URL": database_url, **shared_env},
                   capture_output=True, timeout=120, check=True)
    job = queue.fetch_job(job_id)
    assert marker.read_text() == "crashed once"  # the first attempt died
    assert job.get_status() == "finished"
    assert job.return_value() == "done on a later attempt"
