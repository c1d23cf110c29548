"""Real gunicorn processes on the test database, and plain HTTP calls to them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def worker(database_url: str, workers: int = 1,
           env: dict[str, str] | None = None) -> Iterator[str]:
    """Run the app in its own gunicorn process (``workers`` worker processes, ``env`` added to
    the environment); yield its URL.

    Its rate-limit counters have a prefix of their own (unless ``env`` names one): the default
    store is a file in the checkout's instance folder, and a test database made afresh gives
    the same user ids again, so an earlier run's counters (CI's SQLite pass, then PostgreSQL's,
    within the hour) would count against this one's (a 429 where a budget is ten an hour)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "OPENBLAS_NUM_THREADS": "1", "PUENTE_RATELIMIT_PREFIX": f"puente-test-{uuid4().hex}",
           **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--graceful-timeout",
         "3", "--bind", f"127.0.0.1:{port}", "webapp:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        process.stderr.close()


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(base + "/api/v1/taxonomy/needs", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start within 120 s")


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


def send(base: str, method: str, path: str, token: str, body: dict | None = None,
         headers: dict[str, str] | None = None) -> Answer:
    """Send one JSON request; return its answer, whatever the status."""
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, found = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as err:
        status, raw, found = err.code, err.read(), dict(err.headers)
    return Answer(status, json.loads(raw) if raw else None, found)


def call(base: str, method: str, path: str, token: str, body: dict | None = None):
    """Send one JSON request that must succeed; return its JSON."""
    answer = send(base, method, path, token, body)
    assert answer.status < 300, answer
    return answer.body


def at_once(base: str, requests: list[tuple]) -> list[Answer]:
    """Send the requests (``send``'s arguments after ``base``) at the same moment."""
    barrier = threading.Barrier(len(requests))
    answers: list[Any] = [None] * len(requests)

    def run(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            answers[i] = send(base, *requests[i])
        except Exception as err:  # reported by the caller's assertions
            answers[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers
