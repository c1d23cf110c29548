"""gunicorn settings for ``make run``: start ``flask jobs`` beside the web workers.

It also freezes the preloaded app's objects before the workers are forked (:mod:`webapp.heap`).

``gunicorn -c python:webapp.gunicorn_jobs …`` starts the job runner once the server is ready
and stops it when the server stops, so one command serves pages and runs the periodic work (no
cron). A runner that dies is started again at the next worker boot. Production runs
``flask jobs`` as a service of its own on the job hosts instead (README, Deployment).
"""

from __future__ import annotations

import subprocess
import sys

from webapp import heap

_runner: list[subprocess.Popen] = []


def _start_runner() -> None:
    _runner[:] = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "webapp", "jobs"])]


def when_ready(server) -> None:
    """Freeze the preloaded app out of the cycle collector (:mod:`webapp.heap`), then start the
    job runner beside the web workers."""
    server.log.info("Froze %d objects of the preloaded app", heap.settle())
    server.log.info("Starting the job runner (flask jobs)")
    _start_runner()


def pre_fork(server, worker) -> None:
    """Start the runner again if it died (checked whenever a web worker starts)."""
    if _runner and _runner[0].poll() is not None:
        server.log.warning("The job runner exited (%s); starting it again",
                           _runner[0].returncode)
        _start_runner()


def on_exit(server) -> None:
    """Stop the job runner with the server."""
    for process in _runner:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
