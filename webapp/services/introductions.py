"""Use cases of introductions: listing, requesting, feedback and reviews.

The answers (accept, decline, withdraw, complete, expire) are in ``introduction_states``;
the expiry itself (:func:`expire_overdue`) is here, for a new request of a pair whose request
is past its expiry expires it as the sweep and the answers do.
Every use case is one write transaction (see ``transactions``).

Who may see, request, answer for a party or review is asked of :mod:`webapp.policy`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, update
from sqlalchemy.orm import selectinload

from matcher.errors import MatcherError
from models import (
    INTRODUCTION_KINDS,
    Introduction,
    IntroductionFeedback,
    IntroductionReview,
    Profile,
    User,
    db,
    utcnow,
)
from models.introductions import EXPIRED, MEMBER, OPEN_STATES, PROGRAM, REQUESTED, pair_key
from models.storable import valid_id
from webapp import policy
from webapp.errors import Conflict, Forbidden, NotFound, Problem, invalid_fields
from webapp.input_guard import check_storable
from webapp.services import budgets, capacity, inbox, notifications
from webapp.services.audit import record
from webapp.services.links import page_url
from webapp.services.matching import explain_pair, unmet_program_rules
from webapp.services.paging import Page
from webapp.services.transactions import lock_row, write_transaction

# -- expiry ---------------------------------------------------------------------------------

def expires_at(intro: Introduction) -> datetime | None:
    """Return when an unanswered request expires (None once answered)."""
    if intro.state != REQUESTED:
        return None
    return intro.created_at + timedelta(days=current_app.config["PUENTE_EXPIRY_DAYS"])


def is_overdue(intro: Introduction, now: datetime) -> bool:
    """Tell whether a request is unanswered past its expiry: expired, swept yet or not."""
    expiry = expires_at(intro)
    return expiry is not None and expiry <= now


def state_now(intro: Introduction, now: datetime) -> str:
    """Return the state an introduction reads in at ``now``: a request past its expiry is
    expired, whether the sweep (every minute) has written it yet or not — answering it would
    expire it (``capacity.state_in`` is the same for queries)."""
    return EXPIRED if is_overdue(intro, now) else intro.state


# -- reading ---------------------------------------------------------------------------------

def list_introductions(user: User, filters: dict[str, Any], page: int, per_page: int) -> Page:
    """Return one page of the introductions the user may see, newest first, filtered."""
    query = db.select(Introduction)
    if not policy.may_see_program(user):
        own = user.profile.id if user.profile is not None else -1
        query = query.where(_party_clause(own, filters.pop("direction", None)))
    query = _filtered(query, filters, utcnow())
    total = db.session.scalar(query.with_only_columns(func.count(Introduction.id)).order_by(None))
    items = db.session.scalars(
        query.order_by(Introduction.created_at.desc(), Introduction.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
        .options(*(selectinload(r) for r in (Introduction.requester, Introduction.target,
                                             Introduction.feedback, Introduction.reviews)))
    ).all()
    return Page(list(items), page, per_page, total or 0)


def _party_clause(profile_id: int, direction: str | None):
    if direction == "sent":
        return Introduction.requester_id == profile_id
    if direction == "received":
        return Introduction.target_id == profile_id
    return or_(Introduction.requester_id == profile_id, Introduction.target_id == profile_id)


def _filtered(query, filters: dict[str, Any], now: datetime):
    if "state" in filters:  # as it reads now: a request past its expiry is expired
        query = query.where(capacity.state_in((filters["state"],), now))
    if "states" in filters:
        query = query.where(capacity.state_in(filters["states"], now))
    if "kind" in filters:
        query = query.where(Introduction.kind == filters["kind"])
    if "profile_id" in filters:
        query = query.where(or_(Introduction.requester_id == filters["profile_id"],
                                Introduction.target_id == filters["profile_id"]))
    if "created_from" in filters:
        query = query.where(Introduction.created_at >= filters["created_from"])
    if "created_to" in filters:
        query = query.where(Introduction.created_at < filters["created_to"])
    return query


def get_introduction(user: User, intro_id: int) -> Introduction:
    """Return an introduction the user may see, or raise NotFound."""
    intro = db.session.get(Introduction, intro_id) if valid_id(intro_id) else None
    if intro is None or not policy.can_see(user, intro):
        raise NotFound("introduction_not_found", id=intro_id)
    return intro


# -- requesting ------------------------------------------------------------------------------

def request_introduction(user: User, data: dict[str, Any],
                         now: datetime | None = None) -> Introduction:
    """Request an introduction as a user does, page or API alike: as
    :func:`create_introduction`, within the user's budget (``PUENTE_INTRODUCTION_LIMIT``,
    TooManyRequests beyond it). Only a request that passes every check is counted: a refused
    one (no such profile, a full mentor…) writes nothing and spends nothing. An account whose
    address is not verified is refused."""
    if not policy.may_request_introductions(user):
        raise Forbidden("email_not_verified")
    return create_introduction(user, data, now, budgeted=True)


def create_introduction(user: User, data: dict[str, Any], now: datetime | None = None,
                        origin: str = MEMBER, budgeted: bool = False) -> Introduction:
    """Create an introduction of the requester profile to the target profile and commit.

    ``budgeted``: a user's own request (:func:`request_introduction`), counted against the
    user's budget once it passed every check, inside the transaction (a spent budget rolls it
    back). Confirming a cohort creates its introductions through this directly, as the
    program's (``origin``): outside the requester's open-request cap, and both parties are told.
    """
    now = now or utcnow()
    check_storable({"message": data.get("message", "")})
    requester, target = _parties(user, data)
    kind = _kind_of(requester, target)
    _check_can_request(requester, target, now)
    snapshot = _snapshot(requester, target)
    if origin == MEMBER and snapshot is not None:  # a request, not a confirmed cohort's pair
        _check_program_rules(user, requester, target, snapshot)
    if origin == MEMBER and requester.user_id is not None and not policy.is_owner(user, requester):
        # Staff asking for someone's profile: the program's introduction, not the member's own
        # request — its owner is told and may turn it down, as for a cohort's.
        origin = PROGRAM
    with write_transaction("introduction_open_now"):
        program_mentor = origin == PROGRAM and target.kind == "mentor"
        # A program's introduction holds a place of the mentor's until answered: the mentor
        # locked, so that two cohorts confirmed at once cannot both take its last place. Any
        # mentor is locked (first: the order acceptances lock in) and its capacity checked
        # again: an acceptance that took its last place since the check above declined the
        # requests waiting then, not this one.
        if target.kind == "mentor":
            target = _lock_profile(target.id)
            requester = _lock_profile(requester.id)
        else:
            requester = _lock_profile(requester.id)
            target = db.session.get(Profile, target.id)
        if target.kind == "mentor" and not target.capacity_left:
            raise Conflict("mentor_full", id=target.id)
        _check_no_hoarding(requester, target, now, counted=origin == MEMBER)
        if (program_mentor and target.capacity_left is not None
                and _places_left(target, requester, now) <= 0):
            raise Conflict("mentor_full", id=target.id)
        if budgeted:
            budgets.spend("introduction_request", user.id)
        intro = Introduction(
            kind=kind, state=REQUESTED, origin=origin, requester_id=requester.id,
            target_id=target.id,
            pair_key=pair_key(requester.id, target.id), message=data.get("message", ""),
            created_at=now, updated_at=now, match_snapshot=snapshot,
            score=snapshot.get("score") if snapshot else None,
            model_version=snapshot.get("model_version") if snapshot else None,
        )
        db.session.add(intro)
        db.session.flush()
        capacity.touch(user, requester, now)
        record("introduction.request", "introduction", intro.id, actor=user, kind=kind,
               requester_id=requester.id, target_id=target.id, origin=origin)
        _tell_parties(intro)
    return intro


def _tell_parties(intro: Introduction) -> None:
    """E-mail the target of a request; both parties of a program introduction."""
    if intro.origin == PROGRAM:
        notify(intro.requester.user, "program_introduced_requester", intro)
        notify(intro.target.user, "program_introduced_target", intro)
    else:
        notify(intro.target.user, "requested", intro)


def _parties(user: User, data: dict[str, Any]) -> tuple[Profile, Profile]:
    requester_id = data.get("requester_id")
    if requester_id is None:
        if user.profile is None:
            raise invalid_fields({"requester_id": Problem("requester_required")})
        requester_id = user.profile.id
    requester = db.session.get(Profile, requester_id)
    if requester is None or not policy.may_see_profile(user, requester):
        # A hidden profile of someone else answers as one that does not exist.
        raise invalid_fields({"requester_id": Problem("no_such_profile", id=requester_id)})
    if not policy.may_request_for(user, requester):
        raise Forbidden("request_for_own_profile_only")
    target = db.session.get(Profile, data["target_id"])
    if target is None or not (policy.is_listed(target) or policy.may_see_hidden_profiles(user)):
        raise invalid_fields({"target_id": Problem("no_such_profile", id=data["target_id"])})
    return requester, target


def _kind_of(requester: Profile, target: Profile) -> str:
    kind = INTRODUCTION_KINDS.get((requester.kind, target.kind))
    if kind is None:
        allowed = sorted(t for r, t in INTRODUCTION_KINDS if r == requester.kind)
        raise invalid_fields({"target_id": Problem(
            "pairing_not_offered", kind=requester.kind, allowed=list(allowed),
            target_kind=target.kind)})
    return kind


def _check_can_request(requester: Profile, target: Profile, now: datetime) -> None:
    if not requester.active:
        raise Conflict("requester_inactive", id=requester.id)
    if not target.is_available(now):
        raise Conflict("target_unavailable", id=target.id)
    for party in (requester, target):  # shown to nobody else: staff asking on behalf included
        if party.user is not None and not party.user.active:  # deactivated: never answers
            raise Conflict("target_unavailable", id=party.id)
        if not policy.is_listed(party):
            raise Conflict("party_unverified", id=party.id)
    for party in (requester, target):
        if party.kind == "mentor" and not party.capacity_left:
            raise Conflict("mentor_full", id=party.id)


def _check_program_rules(user: User, requester: Profile, target: Profile,
                         snapshot: dict[str, Any]) -> None:
    """Refuse a member's request for a pairing the program's must-match rules exclude from
    every ranking (422 on ``target_id`` naming what fails): a profile found by its id is held
    to the rules the ranking applies. Program introductions were chosen under the rules."""
    unmet = unmet_program_rules(requester, target, snapshot, user)
    if unmet:
        raise invalid_fields({"target_id": Problem("excluded_by_program_rules",
                                                   rules=list(unmet))})


def _snapshot(requester: Profile, target: Profile) -> dict[str, Any] | None:
    """Return the match as the ranking sees it now: score, factors, reasons, model version."""
    try:
        return explain_pair(requester, target)
    except MatcherError:
        current_app.logger.exception("No match snapshot for profiles %s -> %s",
                                     requester.id, target.id)
        return None


def _places_left(mentor: Profile, besides: Profile, now: datetime) -> int:
    """Return the mentor's capacity less its accepted and pending introductions (those with
    ``besides`` left out: that pair's own open request is refused for what it is)."""
    pending = capacity.pending_introductions({mentor.id}, now, besides=besides.id)[mentor.id]
    return mentor.capacity_left - pending


def _lock_profile(profile_id: int) -> Profile:
    """Load a profile, re-read and locking its row for this transaction (PostgreSQL; SQLite
    is locked)."""
    return db.session.scalars(db.select(Profile).where(Profile.id == profile_id)
                              .with_for_update(key_share=True)
                              .execution_options(populate_existing=True)).one()


def _check_no_hoarding(requester: Profile, target: Profile, now: datetime,
                       counted: bool = True) -> None:
    """Refuse a second open introduction of a pair and, for a member's own request
    (``counted``), one beyond the requester's cap of unanswered requests (program
    introductions, and requests past their expiry, are not counted)."""
    open_pair = db.session.scalar(db.select(Introduction.id).where(
        Introduction.pair_key == pair_key(requester.id, target.id),
        Introduction.state.in_(OPEN_STATES)))
    if open_pair is not None and _still_open(open_pair, now):
        raise Conflict("introduction_open", id=open_pair)
    if not counted:
        return
    limit = current_app.config["PUENTE_MAX_OPEN_REQUESTS"]
    pending = db.session.scalar(db.select(func.count(Introduction.id)).where(
        Introduction.requester_id == requester.id, Introduction.state == REQUESTED,
        Introduction.origin == MEMBER, capacity.not_overdue(now)))
    if pending >= limit:
        raise Conflict("too_many_open_requests", id=requester.id, pending=pending, limit=limit)


def _still_open(intro_id: int, now: datetime) -> bool:
    """Tell whether the pair's open introduction is still open; one past its expiry, which
    already reads as expired everywhere, is expired here as the sweep would (the same
    e-mails), so that the pair may ask again. Locked: a sweep expiring it meanwhile waits."""
    intro = lock_row(Introduction, intro_id)
    if intro is None or intro.state not in OPEN_STATES:
        return False
    if not is_overdue(intro, now):
        return True
    expire_overdue(intro, now)
    return False


def moved(intro: Introduction, allowed: tuple[str, ...], to_state: str, now: datetime,
          **values) -> bool:
    """Move the introduction to ``to_state`` if it is still in one of ``allowed`` — one
    conditional update (``… WHERE state IN allowed``), with its version bumped — and tell
    whether it moved: another writer's move stands. The object is expired, to be read anew."""
    table = Introduction.__table__
    done = db.session.execute(
        update(table).where(table.c.id == intro.id, table.c.state.in_(allowed))
        .values(state=to_state, updated_at=now, version=table.c.version + 1, **values)
    ).rowcount
    db.session.expire(intro)
    return done == 1


def expire_overdue(intro: Introduction, now: datetime) -> None:
    """Expire a request past its expiry in the caller's transaction — by the sweep, by an
    answer or a new request of the pair that finds it — counted against the target's
    response rate, and tell both parties (409 if it was answered meanwhile)."""
    if not moved(intro, (REQUESTED,), EXPIRED, now, closed_at=now):
        raise Conflict("introduction_wrong_state", id=intro.id, state=intro.state,
                       allowed_states=[REQUESTED], to_state=EXPIRED)
    capacity.count_expiry(intro.target_id)
    record("introduction.expire", "introduction", intro.id, actor=None)
    notify(intro.requester.user, "expired_requester", intro)
    notify(intro.target.user, "expired_target", intro)


# -- feedback and reviews --------------------------------------------------------------------

def add_feedback(user: User, intro_id: int, rating: int, comment: str = "",
                 now: datetime | None = None) -> Introduction:
    """Record a party's rating of an accepted introduction (once per party) and commit."""
    now = now or utcnow()
    check_storable({"comment": comment})
    with write_transaction("feedback_given"):
        intro = get_introduction(user, intro_id)
        own = policy.own_parties(user, intro)
        if not own:
            raise Forbidden("feedback_parties_only")
        if intro.state not in policy.REVEALED_STATES:
            raise Conflict("feedback_not_yet", id=intro.id, state=intro.state)
        if any(f.profile_id == own[0].id for f in intro.feedback):
            raise Conflict("feedback_given")
        intro.feedback.append(IntroductionFeedback(
            profile_id=own[0].id, author_id=user.id, rating=rating, comment=comment,
            created_at=now))
        db.session.flush()
        capacity.touch(user, own[0], now)
        record("introduction.feedback", "introduction", intro.id, actor=user, rating=rating)
    return intro


def add_review(user: User, intro_id: int, rating: int, comment: str = "", flag: bool = False,
               now: datetime | None = None) -> Introduction:
    """Record a coordinator's review of an introduction (once per reviewer) and commit."""
    now = now or utcnow()
    check_storable({"comment": comment})
    if not policy.may_review(user):
        raise Forbidden("staff_only_reviews")
    with write_transaction("review_given"):
        intro = get_introduction(user, intro_id)
        if any(r.reviewer_id == user.id for r in intro.reviews):
            raise Conflict("review_given")
        intro.reviews.append(IntroductionReview(reviewer_id=user.id, rating=rating,
                                                comment=comment, flag=flag, created_at=now))
        db.session.flush()
        record("introduction.review", "introduction", intro.id, actor=user, rating=rating,
               flag=flag)
    return intro


# -- notifications ---------------------------------------------------------------------------

def message_params(intro: Introduction, **extra) -> dict[str, Any]:
    """Return the values the message templates of an introduction use."""
    expiry_days = current_app.config["PUENTE_EXPIRY_DAYS"]
    expires = intro.created_at + timedelta(days=expiry_days)
    return {"requester": intro.requester.name, "target": intro.target.name,
            "message": intro.message or "—", "expires_on": expires.date().isoformat(),
            "days": expiry_days, "url": page_url(f"/introductions/{intro.id}"), **extra}


# E-mail template -> the in-app notice that goes with it (reminders and prompts are e-mail only).
IN_APP_KINDS = {"requested": "requested", "accepted": "accepted", "declined": "declined",
                "declined_no_capacity": "declined_no_capacity",
                "withdrawn": "withdrawn", "completed": "completed",
                "expired_requester": "expired", "expired_target": "expired",
                "program_introduced_requester": "program_introduction",
                "program_introduced_target": "program_introduction",
                "program_accepted": "program_accepted",
                "program_turned_down": "program_turned_down"}


def notify(user: User | None, template: str, intro: Introduction, **extra) -> None:
    """Put a message about the introduction in the user's outbox and, for the events a user
    follows in the app, a notice in its inbox (none without a user); in the caller's
    transaction."""
    notifications.enqueue(user, template, message_params(intro, **extra), intro.id)
    kind = IN_APP_KINDS.get(template)
    if user is not None and user.active and kind is not None:
        params = {k: v for k, v in extra.items() if k == "reason_code"}
        inbox.notify_in_app([user.id], kind, introduction_id=intro.id, **params)
