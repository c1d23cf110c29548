"""What each role's home says is waiting: the reads behind the signed-in home pages.

A profile owner's home: requests waiting for its answer (with the days left before they
expire), its own open requests, the introductions the program made for it that wait for an
answer (neither its request nor one it was asked: the program's, shown to both sides as
such), outcome steps the other party reported that await its
confirmation, its capacity (mentors), new matches since its previous sign-in and what
would improve its profile. Staff's home: the review queue's counts and the program's figures.
Reads only: nothing here writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import selectinload

from matcher.errors import MatcherError
from models import Introduction, IntroductionReview, OutcomeStep, Profile, User, db, utcnow
from models.introductions import ACCEPTED, COMPLETED, REQUESTED
from models.outcomes import REPORTED
from webapp.services.capacity import not_overdue
from webapp.services.completeness import profile_hints
from webapp.services.matching import rank_for
from webapp.services.metrics import state_summary

NEW_MATCHES_RANKED = 20  # the top of the ranking looked at for new matches
NEW_MATCHES_SHOWN = 5


@dataclass(frozen=True)
class Waiting:
    """A request waiting for an answer, and the whole days left before it expires."""

    intro: Introduction
    days_left: int


@dataclass
class OwnerHome:
    profile: Profile | None
    to_answer: list[Waiting] = field(default_factory=list)
    sent: list[Waiting] = field(default_factory=list)
    program: list[Waiting] = field(default_factory=list)  # either side, made by the program
    steps: list[OutcomeStep] = field(default_factory=list)
    new_matches: list[Profile] | None = None  # None: not looked at (or no previous visit)
    since: datetime | None = None
    hints: list[str] = field(default_factory=list)


def owner_home(user: User, now: datetime | None = None) -> OwnerHome:
    """Return what waits for a profile owner (an empty home without a profile)."""
    now = now or utcnow()
    profile = user.profile
    if profile is None:
        return OwnerHome(None)
    home = OwnerHome(profile, hints=profile_hints(profile))
    for waiting in _waiting(or_(Introduction.requester_id == profile.id,
                                Introduction.target_id == profile.id), now):
        if waiting.intro.by_program:
            home.program.append(waiting)
        elif waiting.intro.target_id == profile.id:
            home.to_answer.append(waiting)
        else:
            home.sent.append(waiting)
    home.steps = steps_to_confirm(profile)
    if user.previous_login_at is not None:
        home.since = user.previous_login_at
        home.new_matches = new_matches(user, profile, user.previous_login_at)
    return home


def _waiting(party_clause, now: datetime) -> list[Waiting]:
    days = current_app.config["PUENTE_EXPIRY_DAYS"]
    # A request past its expiry that the sweep has not reached yet waits for nobody: answering
    # it expires it and is refused.
    intros = db.session.scalars(
        db.select(Introduction).where(party_clause, Introduction.state == REQUESTED,
                                      not_overdue(now))
        .order_by(Introduction.created_at)
        .options(selectinload(Introduction.requester), selectinload(Introduction.target))
    ).all()
    return [Waiting(i, days_left(i.created_at + timedelta(days=days), now)) for i in intros]


def days_left(expires_at: datetime, now: datetime) -> int:
    """Return the days until ``expires_at``, a part day counted whole (0 once past)."""
    return max(0, math.ceil((expires_at - now).total_seconds() / 86400))


def steps_to_confirm(profile: Profile) -> list[OutcomeStep]:
    """Return the steps the other party reported that await the profile's confirmation."""
    return list(db.session.scalars(
        db.select(OutcomeStep).join(Introduction, OutcomeStep.introduction_id == Introduction.id)
        .where(OutcomeStep.status == REPORTED, OutcomeStep.reported_for_id != profile.id,
               Introduction.state.in_((ACCEPTED, COMPLETED)),
               or_(Introduction.requester_id == profile.id,
                   Introduction.target_id == profile.id))
        .order_by(OutcomeStep.created_at)
        .options(selectinload(OutcomeStep.introduction).selectinload(Introduction.requester),
                 selectinload(OutcomeStep.introduction).selectinload(Introduction.target))))


def new_matches(user: User, profile: Profile, since: datetime) -> list[Profile]:
    """Return the best-ranked matches whose profiles joined after ``since``."""
    try:
        ranked, _ = rank_for(user, profile, None, NEW_MATCHES_RANKED, log_exposure=False)
    except MatcherError:
        current_app.logger.exception("No ranking for the home of profile %s", profile.id)
        return []
    fresh = [r.profile for r in ranked if r.profile.created_at > since]
    return fresh[:NEW_MATCHES_SHOWN]


# -- staff ----------------------------------------------------------------------------------

QUEUE_FILTERS = ("unreviewed", "flagged", "waiting", "near_expiry")


def queue_clause(name: str, now: datetime):
    """Return the SQL condition of a review-queue filter.

    ``unreviewed``: no coordinator reviewed it; ``flagged``: a review flagged it for
    follow-up; ``waiting``: a request unanswered beyond the reminder delay
    (``PUENTE_REMINDER_DAYS``); ``near_expiry``: a request expiring within
    ``PUENTE_NEAR_EXPIRY_DAYS``. A request past its expiry is in neither: it is expired,
    whether the sweep has written it yet or not.
    """
    cfg = current_app.config
    reviewed = exists().where(IntroductionReview.introduction_id == Introduction.id)
    if name == "unreviewed":
        return ~reviewed
    if name == "flagged":
        return exists().where(IntroductionReview.introduction_id == Introduction.id,
                              IntroductionReview.flag.is_(True))
    if name == "waiting":
        cutoff = now - timedelta(days=cfg["PUENTE_REMINDER_DAYS"])
        return and_(Introduction.state == REQUESTED, Introduction.created_at < cutoff,
                    not_overdue(now))
    if name == "near_expiry":
        soon = cfg["PUENTE_EXPIRY_DAYS"] - cfg["PUENTE_NEAR_EXPIRY_DAYS"]
        return and_(Introduction.state == REQUESTED,
                    Introduction.created_at < now - timedelta(days=soon), not_overdue(now))
    raise ValueError(f"unknown review-queue filter {name!r}")


def queue_counts(now: datetime | None = None) -> dict[str, int]:
    """Return how many introductions each review-queue filter holds."""
    now = now or utcnow()
    return {name: db.session.scalar(db.select(func.count(Introduction.id))
                                    .where(queue_clause(name, now))) or 0
            for name in QUEUE_FILTERS}


def review_queue(filters: list[str], page: int, per_page: int,
                 now: datetime | None = None) -> tuple[list[Introduction], int]:
    """Return one page of the introductions meeting every filter, oldest first, and the total."""
    now = now or utcnow()
    query = db.select(Introduction).where(*(queue_clause(f, now) for f in filters))
    total = db.session.scalar(query.with_only_columns(func.count(Introduction.id)))
    items = db.session.scalars(
        query.order_by(Introduction.created_at, Introduction.id)
        .limit(per_page).offset((page - 1) * per_page)
        .options(*(selectinload(r) for r in (Introduction.requester, Introduction.target,
                                             Introduction.reviews)))).all()
    return list(items), total or 0


def staff_home(now: datetime | None = None) -> dict[str, Any]:
    """Return the review queue's counts and the program's figures at a glance."""
    summary = state_summary(current_app.config["PUENTE_REMINDER_DAYS"])
    profiles = dict(db.session.execute(db.select(Profile.kind, func.count(Profile.id))
                                       .where(Profile.active.is_(True))
                                       .group_by(Profile.kind)).all())
    return {"queue": queue_counts(now), "by_state": summary["by_state"],
            "acceptance_rate": summary["acceptance_rate"],
            "profiles": {k: profiles.get(k, 0) for k in ("sme", "mentor", "buyer")}}
