"""gunicorn settings for ``make run``: start ``flask jobs`` beside the web workers.

It also freezes the preloaded app's objects before the workers are forked (:mod:`webapp.heap`).

``gunicorn -c python:webapp.gunicorn_jobs …`` starts the job runner once the server is ready
and stops it when the server stops, so one command serves pages and runs the periodic work (no
cron). A runner that dies is started again within ``WATCH_SECONDS`` (a thread of the master
watches it; gunicorn has no hook for a child that is not a web worker); one that keeps dying
soon after its start (e.g. its Redis is down) is started again less and less often, up to
``MAX_DELAY_SECONDS`` apart. Production runs ``flask jobs`` as a service of its own on the job
hosts instead (README, Deployment).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from webapp import heap

WATCH_SECONDS = 2.0
STEADY_SECONDS = 30.0  # a runner that lived this long died of something new: restart at once
MAX_DELAY_SECONDS = 60.0


@dataclass
class Runner:
    """The runner process and when to start it again."""

    process: subprocess.Popen | None = None
    started: float = 0.0
    died: float | None = None  # when its death was seen
    delay: float = WATCH_SECONDS


_runner = Runner()
_lock = threading.Lock()
_stopping = threading.Event()


def _start_runner() -> None:
    _runner.process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "jobs"])
    _runner.started, _runner.died = time.monotonic(), None


def _restart_if_dead(server) -> None:
    """Start the runner again if it exited (unless the server is stopping), backing off while
    it dies soon after each start."""
    with _lock:
        process = _runner.process
        if process is None or _stopping.is_set() or process.poll() is None:
            return
        now = time.monotonic()
        if _runner.died is None:
            _runner.died = now
            quick = now - _runner.started < STEADY_SECONDS
            _runner.delay = (min(max(2 * _runner.delay, WATCH_SECONDS), MAX_DELAY_SECONDS)
                             if quick else 0.0)
        if now - _runner.died < _runner.delay:
            return
        # no exit status: gunicorn's master may have reaped it (it waits for any child)
        server.log.warning("The job runner exited; starting it again")
        _start_runner()


def _watch(server) -> None:
    while not _stopping.wait(WATCH_SECONDS):
        _restart_if_dead(server)


def when_ready(server) -> None:
    """Freeze the preloaded app out of the cycle collector (:mod:`webapp.heap`), then start the
    job runner beside the web workers, and watch it."""
    server.log.info("Froze %d objects of the preloaded app", heap.settle())
    server.log.info("Starting the job runner (flask jobs)")
    with _lock:
        _start_runner()
    threading.Thread(target=_watch, args=(server,), daemon=True,
                     name="puente-runner-watch").start()


def pre_fork(server, worker) -> None:
    """Start the runner again if it died (checked whenever a web worker starts, too)."""
    _restart_if_dead(server)


def on_exit(server) -> None:
    """Stop the job runner with the server."""
    _stopping.set()
    with _lock:
        process = _runner.process
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
