"""Periodic tasks and the claim of their time slots.

Time is cut into slots of each task's interval (seconds since the epoch // interval). A
scheduler that sees a slot no one has claimed claims it and hands the task on; a slot is
claimed once however many schedulers race for it: by ``SET NX`` on a key of its own in Redis,
or, without Redis, by a conditional update of the task's row in ``periodic_ticks`` (its slot
only ever moves forward, and an update applies to one writer only). So a task runs at most
once a slot on the whole service, and at the first tick after start-up (its slot is new).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from models import PeriodicTick, db, utcnow
from webapp.services import matching, model_training, notifications, sweep
from webapp.services.transactions import begin_write

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    """A use case run every ``interval_key`` seconds (0 turns it off)."""

    name: str
    interval_key: str
    run: Callable[[], dict[str, Any]]


TASKS: dict[str, PeriodicTask] = {}


def register(name: str, interval_key: str, run: Callable[[], dict[str, Any]]) -> None:
    """Add a periodic task (its interval in seconds is read from the config key)."""
    TASKS[name] = PeriodicTask(name, interval_key, run)


def sweep_introductions() -> dict[str, Any]:
    """Expire and remind unanswered requests, ask for outcomes, delete old export files, fail
    jobs whose worker died on their last attempt (mail goes by its own task)."""
    report = sweep.sweep_introductions(deliver=False)
    return {"expired": report.expired, "reminded": report.reminded,
            "prompted": report.prompted, "files_deleted": report.files_deleted,
            "jobs_failed": report.jobs_failed, "jobs_requeued": report.jobs_requeued}


def deliver_mail() -> dict[str, Any]:
    """Deliver the outbox."""
    return asdict(notifications.deliver_pending())


def retrain_model() -> dict[str, Any]:
    """Refit and retrain the model; learned weights serve only where they pass the gate."""
    result = model_training.train_model()
    return {"version": result.version.version, "promoted": list(result.promoted),
            "decisions": result.decisions}


register("sweep-introductions", "PUENTE_SWEEP_SECONDS", sweep_introductions)
register("deliver-mail", "PUENTE_MAIL_SECONDS", deliver_mail)
register("train-model", "PUENTE_TRAIN_SECONDS", retrain_model)
register("build-snapshot", "PUENTE_SNAPSHOT_SECONDS", matching.refresh_snapshot)


def run_task(name: str, slot: int | None = None) -> dict[str, Any]:
    """Run one periodic task now (for its time slot) and return what it did."""
    summary = TASKS[name].run()
    log.info("periodic task %s (slot %s): %s", name, slot, summary)
    return summary


class SlotClaims(Protocol):
    def claim(self, name: str, slot: int, interval: int) -> bool: ...


class RedisClaims:
    """Claim slots with ``SET NX`` (the key outlives its slot, then expires)."""

    def __init__(self, redis, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix

    def claim(self, name: str, slot: int, interval: int) -> bool:
        key = f"{self.prefix}:tick:{name}:{slot}"
        return bool(self.redis.set(key, str(time.time()), nx=True, ex=max(2 * interval, 60)))


class DatabaseClaims:
    """Claim slots by moving the task's ``periodic_ticks`` row forward (one writer wins)."""

    def claim(self, name: str, slot: int, interval: int) -> bool:
        try:
            begin_write()
            moved = db.session.execute(
                update(PeriodicTick).where(PeriodicTick.name == name, PeriodicTick.slot < slot)
                .values(slot=slot, claimed_at=utcnow())).rowcount
            if not moved and db.session.get(PeriodicTick, name) is None:
                db.session.add(PeriodicTick(name=name, slot=slot, claimed_at=utcnow()))
                moved = 1
            db.session.commit()
        except IntegrityError:  # another scheduler inserted the row first: its slot
            db.session.rollback()
            return False
        except BaseException:
            db.session.rollback()
            raise
        return bool(moved)


def interval_of(task: PeriodicTask) -> int:
    """Return the task's interval in seconds from the configuration (0: off)."""
    return int(current_app.config.get(task.interval_key) or 0)


def tick(claims: SlotClaims, dispatch: Callable[[str, int], Any],
         now: float | None = None) -> list[str]:
    """Claim every task whose current slot is unclaimed, dispatch it (name and slot); return
    their names."""
    now = time.time() if now is None else now
    claimed = []
    for task in TASKS.values():
        interval = interval_of(task)
        slot = int(now // interval) if interval > 0 else 0
        if interval > 0 and claims.claim(task.name, slot, interval):
            dispatch(task.name, slot)
            claimed.append(task.name)
    return claimed
