"""Privacy rights (PIPEDA, LFPDPPP ARCO, GDPR-style): export everything held about a user;
delete the account, anonymising what others keep.

Deleting an account keeps the profile row, emptied and inactive, instead of deleting it: the
counterpart's introductions stay (showing a deleted profile) and program metrics stay whole,
while nothing identifying remains. The exposure log forgets the profile (its ids go to NULL);
the exposure figures count the country and groups each row kept, so they stay whole too, and
so do the figures by ownership group: each introduction keeps the SME's groups as they were
when it was made (``introductions.sme_ownership``), never shown to anyone.

A retired profile is stored (and given by the API) under the fixed name ``DELETED_NAME``;
pages, notices and e-mails name it in the reader's language (:func:`shown_name`). A request
it had open is closed as its withdrawal is: the other party is told in the app, and by mail
when the request's own mail had gone out (a request mail still waiting is withdrawn instead).
A request made TO it is withdrawn too — no one's "no": neutral in the acceptance and response
rates and the outcomes, as a withdrawal — marked ``decline_reason_code = "party_left"``, and
its requester is told, by the same rule, that the other party left Puente (never that it
withdrew the request itself). A deactivated account's waiting requests are closed the same way
(:func:`close_waiting_requests`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, or_, update

from models import (
    CONTACT_FIELDS,
    AuditEntry,
    Introduction,
    IntroductionFeedback,
    IntroductionMessage,
    IntroductionReview,
    MatchImpression,
    MatchMark,
    MeetingProposal,
    Notice,
    OutboxMessage,
    OutcomeStep,
    Profile,
    Role,
    User,
    db,
    fields_of,
    utcnow,
)
from models.introductions import REQUESTED, WITHDRAWN, ownership_key
from models.notifications import PENDING, SENDING
from webapp import policy
from webapp.catalogue.words import RETIRED_NAME
from webapp.errors import Conflict, Problem, invalid_fields
from webapp.services.accounts import password_matches
from webapp.services.audit import record
from webapp.services.capacity import not_overdue, release_capacity
from webapp.services.inbox import notify_in_app, shown_name
from webapp.services.introductions import IN_APP_KINDS, message_params, moved
from webapp.services.matching import without_ownership
from webapp.services.notifications import enqueue
from webapp.services.transactions import lock_row, write_transaction

DELETED_NAME = RETIRED_NAME  # stored, and given by the API: the same in every language
CLEARED_TEXT = ("description", "needs_text", "products_text", "bio", "city")
CLEARED_LISTS = ("certifications", "ownership")
# Why Puente withdrew a request made to a profile (``decline_reason_code`` of a withdrawn
# request): its account was deleted or deactivated. Its requester never withdrew it.
PARTY_LEFT = "party_left"


def export_user(user: User) -> dict[str, Any]:
    """Return everything Puente holds about the user, as JSON-ready data."""
    profile = user.profile
    intros = _introductions_of(profile) if profile else []
    return {
        "account": {"id": user.id, "email": user.email, "role": user.role,
                    "locale": user.locale, "active": user.active,
                    "created_at": user.created_at.isoformat(),
                    "email_verified_at": _iso(user.email_verified_at),
                    "last_login_at": _iso(user.last_login_at),
                    "previous_login_at": _iso(user.previous_login_at)},
        "api_tokens": [{"id": t.id, "name": t.name, "prefix": t.prefix,
                        "created_at": t.created_at.isoformat(),
                        "last_used_at": _iso(t.last_used_at)}
                       for t in sorted(user.tokens, key=lambda t: t.id)],
        "profile": _profile_data(profile) if profile else None,
        "introductions": [_introduction_data(i, profile, user) for i in intros],
        "outcome_steps": _steps_data(profile) if profile else [],
        "meeting_proposals": _meetings_data(profile) if profile else [],
        "match_marks": [{"candidate_id": m.candidate_id, "mark": m.mark,
                         "at": m.at.isoformat()} for m in _marks_of(profile)],
        "feedback": [{"introduction_id": f.introduction_id, "rating": f.rating,
                      "comment": f.comment, "created_at": f.created_at.isoformat()}
                     for f in _feedback_by(user, profile)],
        "reviews": [{"introduction_id": r.introduction_id, "rating": r.rating,
                     "comment": r.comment, "flag": r.flag,
                     "created_at": r.created_at.isoformat()} for r in _reviews_by(user)],
        "messages": [{"introduction_id": m.introduction_id, "body": m.body,
                      "created_at": m.created_at.isoformat()} for m in _messages_of(profile)],
        "notifications": [{"kind": n.kind, "params": n.params,
                           "introduction_id": n.introduction_id,
                           "created_at": n.created_at.isoformat(),
                           "read_at": n.read_at.isoformat() if n.read_at else None}
                          for n in _notices_of(user)],
        "rankings_shown_to_you": _rankings_shown_to(profile) if profile else [],
        "times_you_were_shown": _times_shown(profile) if profile else 0,
        "audit": [{"at": e.at.isoformat(), "action": e.action, "object_type": e.object_type,
                   "object_id": e.object_id, "by_you": e.actor_id == user.id,
                   "details": e.details} for e in _audit_about(user, profile)],
    }


def _notices_of(user: User) -> list[Notice]:
    return list(db.session.scalars(db.select(Notice).where(Notice.user_id == user.id)
                                   .order_by(Notice.id)))


def _profile_data(profile: Profile) -> dict[str, Any]:
    data = {name: getattr(profile, name) for name in fields_of(profile.kind)}
    return {"id": profile.id, "kind": profile.kind, **data,
            "created_at": profile.created_at.isoformat()}


def _party_is(profile: Profile) -> ColumnElement[bool]:
    """Return the condition that an introduction has the profile as one of its parties."""
    return or_(Introduction.requester_id == profile.id, Introduction.target_id == profile.id)


def _introduction_ids(profile: Profile) -> Select:
    """Return the query of the ids of the introductions the profile is a party of."""
    return db.select(Introduction.id).where(_party_is(profile))


def _introductions_of(profile: Profile) -> list[Introduction]:
    return list(db.session.scalars(db.select(Introduction).where(_party_is(profile))
                                   .order_by(Introduction.id)))


def _introduction_data(intro: Introduction, profile: Profile, user: User) -> dict[str, Any]:
    declined_by_you = intro.target_id == profile.id
    return {"id": intro.id, "kind": intro.kind, "state": intro.state,
            "requester_id": intro.requester_id, "target_id": intro.target_id,
            "message": intro.message, "created_at": intro.created_at.isoformat(),
            "score": _score_shown(intro, user),
            "decline_reason_code": intro.decline_reason_code,
            "decline_reason_text": intro.decline_reason_text if declined_by_you else None}


def _score_shown(intro: Introduction, user: User) -> float | None:
    """Return the introduction's score as the user reads it on the introduction itself:
    without the diversity term when the user may not see the SME's ownership (the stored
    score, with it, would tell that the SME meets the buyer's goal)."""
    sme = intro.requester if intro.requester.kind == "sme" else intro.target
    if intro.score is None or policy.may_see_ownership(user, sme):
        return intro.score
    return without_ownership({**(intro.match_snapshot or {}), "score": intro.score})["score"]


def _steps_data(profile: Profile) -> list[dict[str, Any]]:
    """Return the outcome steps of the profile's introductions, with the notes it wrote (a
    note of the other party's, or of staff answering on a party's behalf, is null)."""
    steps = db.session.scalars(db.select(OutcomeStep).where(
        OutcomeStep.introduction_id.in_(_introduction_ids(profile))).order_by(OutcomeStep.id))
    return [_step_data(step, step.reported_for_id == profile.id) for step in steps]


def _step_data(step: OutcomeStep, reported_by_you: bool) -> dict[str, Any]:
    answered_by_you = not (reported_by_you or step.answered_on_behalf) and bool(
        step.answered_at)
    return {"id": step.id, "introduction_id": step.introduction_id, "stage": step.stage,
            "status": step.status, "occurred_on": step.occurred_on.isoformat(),
            "amount": None if step.amount is None else format(step.amount, "f"),
            "currency": step.currency, "minutes": step.minutes, "topics": step.topics,
            "goal": step.goal, "reason": step.reason, "reported_by_you": reported_by_you,
            "note": step.note if reported_by_you else None,
            "answered_on_behalf": step.answered_on_behalf,
            "answer_note": step.answer_note if answered_by_you else None,
            "answered_at": _iso(step.answered_at), "created_at": step.created_at.isoformat()}


def _meetings_data(profile: Profile) -> list[dict[str, Any]]:
    """Return the meeting proposals the profile made or picked a time of; the other
    party's note and zone are null."""
    proposals = db.session.scalars(db.select(MeetingProposal).where(or_(
        MeetingProposal.profile_id == profile.id, MeetingProposal.picked_by_id == profile.id))
        .order_by(MeetingProposal.id))
    return [_meeting_data(p, p.profile_id == profile.id, p.picked_by_id == profile.id)
            for p in proposals]


def _meeting_data(proposal: MeetingProposal, yours: bool, picked_by_you: bool
                  ) -> dict[str, Any]:
    return {"id": proposal.id, "introduction_id": proposal.introduction_id,
            "proposed_by_you": yours, "times": proposal.times, "minutes": proposal.minutes,
            "note": proposal.note if yours else None, "zone": proposal.zone if yours else None,
            "created_at": proposal.created_at.isoformat(),
            "picked_time": _iso(proposal.picked_time), "picked_by_you": picked_by_you,
            "picked_at": _iso(proposal.picked_at)}


def _marks_of(profile: Profile | None) -> list[MatchMark]:
    """Return the profile's saved and hidden matches, oldest first."""
    if profile is None:
        return []
    return list(db.session.scalars(db.select(MatchMark).where(MatchMark.owner_id == profile.id)
                                   .order_by(MatchMark.id)))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _messages_of(profile: Profile | None) -> list[IntroductionMessage]:
    """Return the messages the profile wrote in its introductions, oldest first."""
    if profile is None:
        return []
    return list(db.session.scalars(db.select(IntroductionMessage).where(
        IntroductionMessage.profile_id == profile.id).order_by(IntroductionMessage.id)))


def _rankings_shown_to(profile: Profile) -> list[dict[str, Any]]:
    """Return the rankings the profile was shown (the exposure log), each in rank order."""
    rows = db.session.scalars(db.select(MatchImpression)
                              .where(MatchImpression.requester_id == profile.id)
                              .order_by(MatchImpression.at, MatchImpression.ranking,
                                        MatchImpression.rank))
    rankings: dict[str, dict[str, Any]] = {}
    for row in rows:
        ranking = rankings.setdefault(row.ranking, {"at": row.at.isoformat(), "kind": row.kind,
                                                    "shown_profile_ids": []})
        ranking["shown_profile_ids"].append(row.shown_id)
    return list(rankings.values())


def _times_shown(profile: Profile) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(MatchImpression)
                             .where(MatchImpression.shown_id == profile.id))


def _feedback_by(user: User, profile: Profile | None) -> list[IntroductionFeedback]:
    conditions = [IntroductionFeedback.author_id == user.id]
    if profile is not None:
        conditions.append(IntroductionFeedback.profile_id == profile.id)
    return list(db.session.scalars(db.select(IntroductionFeedback).where(or_(*conditions))))


def _reviews_by(user: User) -> list[IntroductionReview]:
    return list(db.session.scalars(db.select(IntroductionReview)
                                   .where(IntroductionReview.reviewer_id == user.id)
                                   .order_by(IntroductionReview.id)))


def _audit_about(user: User, profile: Profile | None) -> list[AuditEntry]:
    """Return what the user did, and what was done to their account and profile (sign-ins and
    failed sign-ins on it included) — the actor of the latter is not exported. Entries about
    an id from before the account (or profile) existed are another's: SQLite gave a deleted
    row's id again when it was the largest, before migration d2f6a8c0e4b1."""
    conditions = [AuditEntry.actor_id == user.id,
                  (AuditEntry.object_type == "user") & (AuditEntry.object_id == user.id)
                  & (AuditEntry.at >= user.created_at)]
    if profile is not None:  # profile entries name the kind; refused requests say "profile"
        conditions.append(AuditEntry.object_type.in_((profile.kind, "profile"))
                          & (AuditEntry.object_id == profile.id)
                          & (AuditEntry.at >= profile.created_at))
    return list(db.session.scalars(db.select(AuditEntry).where(or_(*conditions))
                                   .order_by(AuditEntry.id)))


def delete_account(user: User, password: str | None) -> None:
    """Delete the user, its tokens and sessions; anonymise its profile; commit.

    The current password must be given (a leaked session or token alone must not be able to
    delete an account for ever): otherwise InvalidInput names ``password`` and nothing is
    written. One transaction, which locks the profile's row first, as an edit of the profile does:
    a deletion and an edit of the same profile run one after the other, and an edit that
    comes second finds no profile of its user (404) instead of a deadlock or a lost row.
    """
    if not password or not password_matches(user, password):
        raise invalid_fields({"password": Problem("wrong_password")}, "account_not_deleted")
    with write_transaction():
        if user.role == Role.ADMIN and not _other_active_admins(user):
            raise Conflict("last_admin")
        profile = _locked_profile_of(user)
        if profile is not None:
            retire_profile(profile)
        for feedback in _feedback_by(user, profile):
            feedback.comment = ""
        for review in _reviews_by(user):  # staff's words go too; rating and flag stay
            review.comment = ""
        record("user.delete", "user", user.id, actor=None)
        db.session.execute(update(AuditEntry).where(AuditEntry.actor_id == user.id)
                           .values(actor_id=None))
        db.session.delete(user)  # API tokens go with it; sessions die with the row


def _other_active_admins(user: User) -> list[int]:
    """Return the ids of the other active admins, their rows and the user's locked (in id
    order) until the transaction ends: two admins deleting themselves at once run one after
    the other, and the second finds the first gone (SQLite: ``begin_write`` holds the
    database)."""
    ids = db.session.scalars(
        db.select(User.id).where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id).with_for_update()).all()
    return [admin_id for admin_id in ids if admin_id != user.id]


def _locked_profile_of(user: User) -> Profile | None:
    profile_id = db.session.scalar(db.select(Profile.id).where(Profile.user_id == user.id))
    return lock_row(Profile, profile_id) if profile_id is not None else None


def retire_profile(profile: Profile) -> None:
    """Close the profile's open introductions and anonymise it, in the caller's transaction:
    the row stays, emptied, inactive and ownerless, so the counterparts' history and the
    program metrics stay whole while nothing identifying remains. The people whose request
    from the profile is withdrawn are told as a withdrawal tells them, and those whose request
    to it is closed that it left; the profile named as deleted."""
    now = utcnow()
    _keep_ownership(profile)
    withdrawn = _close_open_introductions(profile, now)
    mailed = _mailed_before(withdrawn)
    _withdraw_unsent_mail(profile)
    _anonymise(profile, now)
    _clear_conversations(profile)
    _tell_closed(profile, withdrawn, mailed)


def close_waiting_requests(profile: Profile, now: datetime) -> list[Introduction]:
    """Withdraw the profile's waiting requests, both ways, in the caller's transaction (its
    account was deactivated: it can never answer, nor be answered); return them.

    Each moves only if still waiting (a conditional update: one answered meanwhile keeps its
    answer); one past its expiry is left to the sweep, which expires it. Accepted
    introductions stay, and no capacity moves (a waiting request holds no place). The other
    parties are told as :func:`retire_profile` tells them; the mail still waiting about these
    requests is withdrawn.
    """
    closed = []
    waiting = db.session.scalars(db.select(Introduction).where(
        _party_is(profile), Introduction.state == REQUESTED, not_overdue(now))
        .order_by(Introduction.id)).all()
    for intro in waiting:
        reason = None if intro.requester_id == profile.id else PARTY_LEFT
        if moved(intro, (REQUESTED,), WITHDRAWN, now, closed_at=now,
                 decline_reason_code=reason):
            record("introduction.withdraw", "introduction", intro.id, actor=None,
                   automatic=True, cause="user.deactivate")
            closed.append(intro)
    mailed = _mailed_before(closed)
    if closed:
        db.session.execute(delete(OutboxMessage).where(
            OutboxMessage.introduction_id.in_([i.id for i in closed]),
            OutboxMessage.status == PENDING))
    _tell_closed(profile, closed, mailed)
    return closed


def _keep_ownership(profile: Profile) -> None:
    """Keep an SME's ownership groups on its introductions that have none kept (rows written
    without the ORM) before they are erased: the figures by group read them there."""
    if profile.kind != "sme":
        return
    db.session.execute(update(Introduction).where(
        _party_is(profile), Introduction.sme_ownership.is_(None)).values(
        sme_ownership=ownership_key(profile.ownership)), execution_options={
        "synchronize_session": False})


def _mailed_before(intros: list[Introduction]) -> set[int]:
    """Return the introductions of which an e-mail has left the outbox (sent, being sent or
    failed): the ones whose withdrawal is mailed too."""
    if not intros:
        return set()
    return set(db.session.scalars(db.select(OutboxMessage.introduction_id).where(
        OutboxMessage.introduction_id.in_([i.id for i in intros]),
        OutboxMessage.status != PENDING)))


def _tell_closed(profile: Profile, closed: list[Introduction], mailed: set[int]) -> None:
    """Tell the other party of each request closed with the profile, the profile named in
    the reader's language (as deleted, once retired): the target of a request it made that
    it is withdrawn, as a withdrawal does; the requester of one made to it that it left
    Puente. A notice, and an e-mail when the request's own e-mail went out (one still waiting
    is withdrawn, and this with it)."""
    for intro in closed:
        made = intro.requester_id == profile.id
        reader = (intro.target if made else intro.requester).user
        if reader is None:
            continue
        name = shown_name(profile, reader.locale)
        if made:
            template = "program_turned_down" if intro.by_program else "withdrawn"
            names = {"requester": name}
        else:
            template, names = PARTY_LEFT, {"target": name}
        if intro.id in mailed:
            enqueue(reader, template, message_params(intro, **names), intro.id)
        if reader.active:
            notify_in_app([reader.id], IN_APP_KINDS.get(template, template),
                          introduction_id=intro.id)


def _clear_conversations(profile: Profile) -> None:
    """Empty what the profile wrote to its counterparts — requests, decline notes, messages,
    meeting notes, outcome-step notes and answers — and nothing the other party wrote; the
    rows stay, so the counterparts' threads and ladders keep their shape.

    A step's note is its reporting party's (``reported_for_id``); its answer note is the
    other party's, unless staff answered on a party's behalf (then it is the staff's words).
    """
    for intro in _introductions_of(profile):  # through the ORM: each change bumps the ETag
        if intro.requester_id == profile.id:
            intro.message = ""
        elif intro.decline_reason_text is not None:  # only the target declines
            intro.decline_reason_text = None
    db.session.execute(update(IntroductionMessage).where(
        IntroductionMessage.profile_id == profile.id).values(body=""))
    db.session.execute(update(MeetingProposal).where(
        MeetingProposal.profile_id == profile.id).values(note=""))
    db.session.execute(update(OutcomeStep).where(
        OutcomeStep.reported_for_id == profile.id).values(note=""))
    db.session.execute(update(OutcomeStep).where(
        OutcomeStep.introduction_id.in_(_introduction_ids(profile)),
        OutcomeStep.reported_for_id != profile.id, OutcomeStep.answered_on_behalf.is_(False))
        .values(answer_note=""))


def _close_open_introductions(profile: Profile, now: datetime) -> list[Introduction]:
    """Withdraw the profile's open requests, both ways (one made to it marked
    :data:`PARTY_LEFT`), and complete its accepted introductions, each move audited (by no
    one: the account goes); return the withdrawn ones."""
    withdrawn = []
    for intro in _introductions_of(profile):
        if intro.state == "accepted" and intro.mentor_id is not None:
            release_capacity(intro.mentor_id, now)
        if intro.state in ("requested", "accepted"):
            if intro.state == "requested":
                withdrawn.append(intro)
                if intro.target_id == profile.id:
                    intro.decline_reason_code = PARTY_LEFT
            intro.state = "withdrawn" if intro.state == "requested" else "completed"
            intro.closed_at = now
            record(f"introduction.{'withdraw' if intro.state == 'withdrawn' else 'complete'}",
                   "introduction", intro.id, actor=None, automatic=True,
                   cause="profile.retire")
    return withdrawn


def _withdraw_unsent_mail(profile: Profile) -> None:
    """Delete the messages about the profile's introductions, to anyone: those not yet
    delivered, and the service's copy of those already delivered (or given up on).

    They quote the retired profile's words and name it; the ones waiting ask for answers
    that can no longer be given. The messages to the profile's own account go with the
    account (``ON DELETE CASCADE``). Messages being sent right now are left to their
    delivery run (at most once, not twice). Call it after :func:`_mailed_before`, which
    reads the delivered ones.
    """
    db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.introduction_id.in_(_introduction_ids(profile)),
        OutboxMessage.status != SENDING))


def _anonymise(profile: Profile, now: datetime) -> None:
    profile.name = DELETED_NAME
    profile.retired_at = now
    for name in CONTACT_FIELDS:
        setattr(profile, name, None)
    for name in CLEARED_TEXT:
        if getattr(profile, name) is not None:
            setattr(profile, name, "")
    for name in CLEARED_LISTS:
        if getattr(profile, name) is not None:
            setattr(profile, name, [])
    profile.latitude = profile.longitude = None
    profile.active = False
    profile.user_id = None
    for column in (MatchImpression.requester_id, MatchImpression.shown_id):
        db.session.execute(update(MatchImpression).where(column == profile.id)
                           .values({column: None}))
