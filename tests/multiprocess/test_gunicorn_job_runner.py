"""``make run``'s gunicorn (``--config python:webapp.gunicorn_jobs``) runs the job runner beside
its web workers: started when the server is ready, started again when it dies (whether or not a
web worker starts meanwhile), stopped with the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.multiprocess.servers import _wait_until_up, free_port

QUIET = {"PUENTE_SWEEP_SECONDS": "0", "PUENTE_MAIL_SECONDS": "0", "PUENTE_TRAIN_SECONDS": "0",
         "PUENTE_SNAPSHOT_SECONDS": "0", "PUENTE_SNAPSHOT_DIR": ""}


def runners(master: int) -> list[int]:
    """Return the ids of the master's children that run ``flask … jobs``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == master and b"flask" in command and b"jobs" in command:
            found.append(int(stat.parent.name))
    return found


def wait_for(check, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_job_runner_is_started_again_when_it_dies_and_stops_with_the_server(
        app, database_url):
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "PUENTE_JOBS_REDIS_URL")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="test-secret", **QUIET)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:webapp.gunicorn_jobs",
         "--workers", "1", "--graceful-timeout", "3", "--bind", f"127.0.0.1:{port}",
         "webapp:create_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", server)
        first = wait_for(lambda: runners(server.pid), 30)
        assert len(first) == 1
        os.kill(first[0], signal.SIGKILL)  # as the OOM killer or a crash would
        again = wait_for(lambda: [p for p in runners(server.pid) if p != first[0]], 30)
        assert len(again) == 1  # no web worker started meanwhile: the master saw it go
    finally:
        server.terminate()
        server.wait(timeout=60)
        server.stderr.close()
    assert wait_for(lambda: _gone(again[0]), 10)  # stopped with the server


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_runner_that_keeps_dying_at_start_is_started_less_and_less_often(monkeypatch):
    """E.g. its Redis is down: not a new process every 2 s for ever, but further and further
    apart (up to a minute); one that ran a while is started again at once."""
    from types import SimpleNamespace

    from webapp import gunicorn_jobs

    clock, starts = [1000.0], []

    class Dead:
        def poll(self):
            return 1

    def start():
        starts.append(clock[0])
        gunicorn_jobs._runner.process = Dead()
        gunicorn_jobs._runner.started, gunicorn_jobs._runner.died = clock[0], None

    monkeypatch.setattr(gunicorn_jobs, "_runner", gunicorn_jobs.Runner())
    monkeypatch.setattr(gunicorn_jobs, "_start_runner", start)
    monkeypatch.setattr(gunicorn_jobs.time, "monotonic", lambda: clock[0])
    server = SimpleNamespace(log=SimpleNamespace(warning=lambda *args: None))
    start()
    for _ in range(400):  # 800 s of the watcher's checks, every 2 s
        clock[0] += gunicorn_jobs.WATCH_SECONDS
        gunicorn_jobs._restart_if_dead(server)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert gaps[:5] == sorted(gaps[:5]) and gaps[0] < gaps[4]  # backing off
    assert max(gaps) <= gunicorn_jobs.MAX_DELAY_SECONDS + gunicorn_jobs.WATCH_SECONDS
    assert len(starts) < 30  # not 400

    start()
    gunicorn_jobs._runner.started = clock[0] - 3600  # this one ran an hour, then died
    clock[0] += gunicorn_jobs.WATCH_SECONDS
    gunicorn_jobs._restart_if_dead(server)
    assert starts[-1] == clock[0]  # started again at once
