"""Issue 15 #5: a limit counts what it says across real gunicorn worker processes — with the
default store (a SQLite file every worker shares) and with Redis. With Flask-Limiter's
in-memory store each of two workers counted alone: a limit of 4 let 8 attempts through."""

from __future__ import annotations

import os
import tempfile
import uuid

import pytest
from limits.storage import storage_from_string

from tests.multiprocess.servers import at_once, worker

LIMIT = 4
ATTEMPTS = 12
REDIS = "redis://127.0.0.1:6379/3"


def attempts_let_through(base: str, attempts: int = ATTEMPTS) -> list[int]:
    body = {"email": "somebody@example.test", "password": "wrong horse battery"}
    answers = at_once(base, [("POST", "/api/v1/auth/tokens", "none", body)] * attempts)
    return sorted(getattr(a, "status", repr(a)) for a in answers)


@pytest.fixture
def run_id() -> str:
    return uuid.uuid4().hex[:12]


def limited_env(storage: str | None, run_id: str) -> dict[str, str]:
    env = {"PUENTE_LOGIN_LIMIT": f"{LIMIT} per minute",
           "PUENTE_RATELIMIT_PREFIX": f"puente-test-{run_id}",
           # argon2 at its production cost: each refused attempt takes a worker a while, so
           # the attempts spread over both workers
           "PUENTE_ARGON2_TIME_COST": "2"}
    if storage:
        env["PUENTE_RATELIMIT_STORAGE"] = storage
    return env


def test_two_workers_share_the_default_store(database_url, app, run_id):
    path = os.path.join(tempfile.gettempdir(), f"puente-limits-{run_id}.sqlite3")
    env = limited_env(f"puente-sqlite://{path}", run_id)
    with worker(database_url, workers=2, env=env) as base:
        statuses = attempts_let_through(base)
    assert statuses == [401] * LIMIT + [429] * (ATTEMPTS - LIMIT), statuses
    os.unlink(path)


def test_two_workers_share_redis(database_url, app, run_id):
    env = {**limited_env(None, run_id), "REDIS_URL": REDIS}
    with worker(database_url, workers=2, env=env) as base:
        statuses = attempts_let_through(base)
    assert statuses == [401] * LIMIT + [429] * (ATTEMPTS - LIMIT), statuses
    redis = storage_from_string(REDIS).storage  # the counters were Redis's, and are removed
    keys = redis.keys(f"*puente-test-{run_id}*")
    assert keys
    redis.delete(*keys)


def test_in_memory_counters_would_count_less(database_url, app, run_id):
    """The defect itself, kept as the baseline: with memory:// each process counts alone.

    Two single-worker servers stand for the two processes, so which process answers each
    attempt is decided by the test and not by the scheduler: half the attempts go to each,
    and each lets the whole limit through."""
    env = limited_env("memory://", run_id)
    with worker(database_url, workers=1, env=env) as one, \
            worker(database_url, workers=1, env=env) as other:
        statuses = sorted(attempts_let_through(one, ATTEMPTS // 2)
                          + attempts_let_through(other, ATTEMPTS // 2))
    assert statuses.count(401) == 2 * LIMIT, statuses
