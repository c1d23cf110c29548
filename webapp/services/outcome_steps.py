"""Outcome steps of accepted introductions: report, confirm, dispute, list.

Either party reports a step for its own profile; the other party confirms or disputes it
(with a note); a coordinator may answer on a party's behalf with a note, audited. Each use
case is one write transaction: a refusal writes nothing. A reported step asks the other party
to confirm it, a confirmed one asks both for the next step (e-mails queued in the same
transaction: :mod:`webapp.services.outcome_prompts`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from models import Introduction, OutcomeStep, Profile, User, db, utcnow
from models.introductions import ACCEPTED, COMPLETED
from models.outcomes import CONFIRMED, DISPUTED, REPORTED
from models.storable import valid_id
from webapp import policy
from webapp.errors import Conflict, Forbidden, NotFound, Problem, invalid_fields
from webapp.services import outcome_ladder as ladder
from webapp.services import outcome_prompts
from webapp.services.audit import record
from webapp.services.inbox import notify_in_app
from webapp.services.introductions import get_introduction
from webapp.services.transactions import lock_row, write_transaction

LADDER_STATES = (ACCEPTED, COMPLETED)


def list_steps(user: User, intro_id: int) -> list[OutcomeStep]:
    """Return the steps of an introduction the user may see (parties and staff)."""
    intro = get_introduction(user, intro_id)
    return list(intro.outcomes)


def report_step(user: User, intro_id: int, data: dict[str, Any],
                now: datetime | None = None) -> OutcomeStep:
    """Report a step of the ladder for the user's own party, and commit."""
    now = now or utcnow()
    with write_transaction():
        intro = _locked(user, intro_id)
        if not policy.may_report_outcome(user, intro):
            raise Forbidden("outcome_parties_only")
        _require_ladder(intro)
        kind = ladder.ladder_of(intro.kind)
        problems = ladder.field_problems(data["stage"], data, kind, _earliest(intro), now.date())
        if problems:
            raise invalid_fields(problems)
        counted = ladder.counting(intro.outcomes)
        refusal = ladder.order_refusal(data["stage"], kind, [s.stage for s in counted])
        if refusal is not None:
            raise Conflict(refusal.pop("code"), id=intro.id, **refusal)
        if (problem := ladder.date_problem(data["stage"], data["occurred_on"], kind, [
                (s.stage, s.occurred_on) for s in counted])) is not None:
            raise invalid_fields({"occurred_on": [problem]})
        party = policy.own_parties(user, intro)[0]
        step = OutcomeStep(introduction_id=intro.id, reported_for_id=party.id,
                           reported_by_id=user.id, created_at=now,
                           **{k: v for k, v in data.items() if v is not None})
        db.session.add(step)
        db.session.flush()
        record("outcome.report", "introduction", intro.id, actor=user, step_id=step.id,
               stage=step.stage)
        outcome_prompts.ask_to_confirm(intro, step)
        _ask_to_confirm(intro, party, step)
    return step


def _ask_to_confirm(intro: Introduction, party: Profile, step: OutcomeStep) -> None:
    """Tell the other party's owner, in the app, that a step awaits its confirmation."""
    other = intro.target if party.id == intro.requester_id else intro.requester
    if other.user is not None and other.user.active:
        notify_in_app([other.user.id], "step_to_confirm", introduction_id=intro.id,
                      party_id=party.id, stage=step.stage)


def confirm_step(user: User, intro_id: int, step_id: int, note: str = "",
                 now: datetime | None = None) -> OutcomeStep:
    """Confirm a step the other party reported (or, as staff, on its behalf), and commit."""
    return _answer(user, intro_id, step_id, CONFIRMED, note, now or utcnow())


def dispute_step(user: User, intro_id: int, step_id: int, note: str = "",
                 now: datetime | None = None) -> OutcomeStep:
    """Dispute a step the other party reported, with a note, and commit."""
    return _answer(user, intro_id, step_id, DISPUTED, note, now or utcnow())


def _answer(user: User, intro_id: int, step_id: int, status: str, note: str,
            now: datetime) -> OutcomeStep:
    with write_transaction():
        intro = _locked(user, intro_id)
        step = db.session.get(OutcomeStep, step_id) if valid_id(step_id) else None
        if step is None or step.introduction_id != intro.id:
            raise NotFound("outcome_not_found", id=step_id)
        reported_for = db.session.get(Profile, step.reported_for_id)
        if not policy.may_answer_outcome(user, intro, reported_for):
            raise Forbidden("outcome_own_step" if policy.is_owner(user, reported_for)
                            else "outcome_parties_only")
        on_behalf = policy.answers_on_behalf(user, intro)
        if not note and (status == DISPUTED or on_behalf):
            raise invalid_fields({"note": Problem("required")})
        if step.status != REPORTED:
            raise Conflict("outcome_already_answered", id=step.id, status=step.status)
        step.status, step.answer_note, step.answered_at = status, note, now
        step.answered_by_id, step.answered_on_behalf = user.id, on_behalf
        action = "confirm" if status == CONFIRMED else "dispute"
        record(f"outcome.{action}" + ("_on_behalf" if on_behalf else ""), "introduction",
               intro.id, actor=user, step_id=step.id, stage=step.stage,
               profile_id=step.reported_for_id)  # the note stays on the step: free text
        if status == CONFIRMED:
            outcome_prompts.ask_for_next_step(intro, step)
    return step


def _locked(user: User, intro_id: int) -> Introduction:
    """Return the introduction the user may see, locked for the transaction (404 if not)."""
    get_introduction(user, intro_id)
    intro = lock_row(Introduction, intro_id)
    if intro is None:
        raise NotFound("introduction_not_found", id=intro_id)
    return intro


def _require_ladder(intro: Introduction) -> None:
    if intro.state not in LADDER_STATES:
        raise Conflict("outcome_needs_acceptance", id=intro.id, state=intro.state)


def _earliest(intro: Introduction) -> date:
    """Return the first day a step may have happened: the day of the introduction where its
    parties are (the earlier of their two days: a request made at 9 p.m. in Mexico City is
    03:00 UTC the next day)."""
    return ladder.parties_day(intro.created_at, [(p.country, p.subdivision)
                                                 for p in (intro.requester, intro.target)])
