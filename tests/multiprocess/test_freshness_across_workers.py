"""Two real gunicorn worker processes on one database: a profile written through one shows
(or disappears) in the very next ranking answered by the other."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from tests.factories import payload
from webapp.services import accounts


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def worker(database_url: str):
    """Run the app in its own gunicorn process; yield its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
           "OPENBLAS_NUM_THREADS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "webapp:create_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(base + "/api/v1/taxonomy/needs", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not start within 30 s")


def call(base: str, method: str, path: str, token: str, body: dict | None = None):
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def ranked_names(base: str, token: str, sme_id: int) -> list[str]:
    body = call(base, "GET", f"/api/v1/smes/{sme_id}/matches", token)
    return [m["profile"]["name"] for m in body["matches"]]


def test_profile_changes_reach_the_other_worker(app, database_url, make_user):
    _, token = accounts.issue_token(make_user("coordinator"))
    with worker(database_url) as a, worker(database_url) as b:
        sme = call(a, "POST", "/api/v1/smes", token, payload("sme"))["id"]
        assert ranked_names(a, token, sme) == ranked_names(b, token, sme) == []  # both warm

        mentor = call(a, "POST", "/api/v1/mentors", token, payload("mentor"))["id"]
        assert ranked_names(b, token, sme) == ["Rosa Delgado"]

        call(b, "PATCH", f"/api/v1/mentors/{mentor}", token, {"name": "Rosa D."})
        assert ranked_names(a, token, sme) == ["Rosa D."]

        call(a, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": False})
        assert ranked_names(b, token, sme) == []

        call(b, "PATCH", f"/api/v1/mentors/{mentor}", token, {"active": True})
        assert ranked_names(a, token, sme) == ["Rosa D."]
        call(b, "DELETE", f"/api/v1/mentors/{mentor}", token)
        assert ranked_names(a, token, sme) == ranked_names(b, token, sme) == []
