"""The functions the job workers call: each runs one use case inside the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import has_app_context

from models import db


def run_periodic(name: str, slot: int | None = None) -> dict[str, Any]:
    """Run a periodic task (queued by a scheduler for a time slot)."""
    from webapp.jobs import periodic

    return _in_app(lambda: periodic.run_task(name, slot))


def run_background(job_id: str) -> bool:
    """Run a job started from a page (queued when it was started)."""
    from webapp.services import background

    return _in_app(lambda: background.run_job(job_id, retaking=True))


def _in_app(call: Callable[[], Any]) -> Any:
    """Call inside the worker's app (its child after RQ's fork), or a new app outside one."""
    if not has_app_context():
        from webapp import create_app

        with create_app().app_context():
            return call()
    db.engine.dispose(close=False)  # a forked child never shares its parent's connections
    try:
        return call()
    finally:
        db.session.remove()
