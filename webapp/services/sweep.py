"""The introductions sweep: expire old unanswered requests, remind targets, ask the parties of
accepted introductions for their outcomes (``outcome_prompts``), deliver the mail; and delete
the files export jobs made once they are older than ``PUENTE_EXPORT_KEEP_DAYS``; and fail the
page jobs whose worker died on their last attempt (``background.fail_abandoned``) and queue
again those the queue lost (``background.requeue_lost``).

Safe to run from cron as often as wanted, even twice at once: each request is handled in its
own transaction by a conditional update, so it is reminded once (``reminded_at``) and expired
once (its state); a run with nothing due changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from models import Introduction, db, utcnow
from models.introductions import REQUESTED
from webapp.services import (
    background,
    introduction_states,
    job_files,
    notifications,
    outcome_prompts,
)
from webapp.services.notifications import DeliveryReport


@dataclass(frozen=True)
class SweepReport:
    """What one sweep did."""

    expired: int
    reminded: int
    delivery: DeliveryReport
    prompted: int = 0  # introductions whose parties were asked for outcomes
    files_deleted: int = 0  # files of export jobs older than the days they are kept
    jobs_failed: int = 0  # page jobs whose worker died on their last attempt
    jobs_requeued: int = 0  # page jobs the queue had lost, put on it again


def sweep_introductions(now: datetime | None = None, deliver: bool = True) -> SweepReport:
    """Expire requests unanswered for the expiry period, remind those past the reminder one."""
    now = now or utcnow()
    config = current_app.config
    expired = sum(introduction_states.expire_request(intro_id, now) for intro_id in
                  _waiting_since(now - timedelta(days=config["PUENTE_EXPIRY_DAYS"])))
    reminded = sum(introduction_states.remind_target(intro_id, now) for intro_id in
                   _waiting_since(now - timedelta(days=config["PUENTE_REMINDER_DAYS"]),
                                  unreminded=True))
    prompted = sum(outcome_prompts.prompt_parties(intro_id, sent, reached, now)
                   for intro_id, sent, reached in outcome_prompts.due_prompts(now))
    delivery = notifications.deliver_pending(now) if deliver else DeliveryReport()
    return SweepReport(expired, reminded, delivery, prompted, job_files.delete_old(now),
                       background.fail_abandoned(now), background.requeue_lost(now))


def _waiting_since(cutoff: datetime, unreminded: bool = False) -> list[int]:
    """Return the ids of requests made at or before the cutoff and still unanswered."""
    query = db.select(Introduction.id).where(Introduction.state == REQUESTED,
                                             Introduction.created_at <= cutoff)
    if unreminded:
        query = query.where(Introduction.reminded_at.is_(None))
    return list(db.session.scalars(query.order_by(Introduction.id)))
