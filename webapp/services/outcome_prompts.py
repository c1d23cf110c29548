"""Prompts to record outcomes: both parties of an accepted introduction are asked, by e-mail
in their language, 2, 6 and 12 weeks after the acceptance, and after each new step, until its
ladder ends. Every link opens the introductions page at the step or at the open "Report a
step" form.

The sweep sends the timed ones. Each is claimed by a conditional update of the introduction's
``outcome_prompts`` count (``… WHERE outcome_prompts = n``), in the transaction that queues
the e-mails, so two sweeps at once never send one twice.

The prompts after a step are queued in the transaction that writes the step, so they are sent
exactly when the step is (the sweep delivers the outbox): a reported step asks the *other*
party to confirm it (:func:`ask_to_confirm`); a confirmed step — unless it ends the ladder —
asks both parties for the next one (:func:`ask_for_next_step`). A step is reported once and
answered once (the introduction's row is locked and an answered step refuses a second
answer), so neither prompt is ever sent twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from models import Introduction, OutcomeStep, db
from models.introductions import ACCEPTED, COMPLETED
from models.outcomes import DISPUTED
from webapp.services.audit import record
from webapp.services.introductions import notify
from webapp.services.links import page_url
from webapp.services.outcome_ladder import counting
from webapp.services.transactions import write_transaction

PROMPT_WEEKS = (2, 6, 12)


def due_prompts(now: datetime) -> list[tuple[int, int, int]]:
    """Return ``(introduction id, prompts sent, prompts due)`` of the introductions owed a
    prompt now: due counts the prompt times (2, 6, 12 weeks after acceptance) already past."""
    ended = db.select(OutcomeStep.introduction_id).where(
        OutcomeStep.stage == "ended", OutcomeStep.status != DISPUTED)
    query = db.select(Introduction.id, Introduction.outcome_prompts,
                      Introduction.responded_at).where(
        Introduction.state.in_((ACCEPTED, COMPLETED)),
        Introduction.outcome_prompts < len(PROMPT_WEEKS),
        Introduction.responded_at <= now - timedelta(weeks=PROMPT_WEEKS[0]),
        Introduction.id.not_in(ended)).order_by(Introduction.id)
    due = []
    for intro_id, sent, responded_at in db.session.execute(query):
        if responded_at.tzinfo is None:  # SQLite keeps UTC without its offset
            responded_at = responded_at.replace(tzinfo=UTC)
        reached = sum(responded_at <= now - timedelta(weeks=w) for w in PROMPT_WEEKS)
        if reached > sent:
            due.append((intro_id, sent, reached))
    return due


def prompt_parties(intro_id: int, sent: int, reached: int, now: datetime) -> bool:
    """Ask both parties to record the introduction's outcome, and commit: one prompt, the
    latest due (prompts missed meanwhile are skipped, never sent as a burst); once each."""
    table = Introduction.__table__
    with write_transaction():
        done = db.session.execute(update(table).where(
            table.c.id == intro_id, table.c.outcome_prompts == sent,
        ).values(outcome_prompts=reached, version=table.c.version + 1)).rowcount
        if not done:
            return False
        intro = db.session.get(Introduction, intro_id)
        weeks = PROMPT_WEEKS[reached - 1]
        for party in (intro.requester, intro.target):
            notify(party.user, "outcome_prompt", intro, weeks=weeks, url=report_form_url(intro))
        record("introduction.outcome_prompt", "introduction", intro.id, actor=None,
               weeks=weeks)
    return True


def report_form_url(intro: Introduction) -> str:
    """Return the address of the introductions page with the introduction's "Report a step"
    form open."""
    return page_url(f"/introductions?report={intro.id}#report-step-{intro.id}")


def ask_to_confirm(intro: Introduction, step: OutcomeStep) -> None:
    """Ask the party the step was not reported for to confirm or dispute it (in the step's
    transaction), linking to the step on the inbox page that holds its introduction."""
    reporter = intro.requester if step.reported_for_id == intro.requester_id else intro.target
    other = intro.target if reporter is intro.requester else intro.requester
    notify(other.user, "outcome_confirm_request", intro, reporter=reporter.name,
           stage_code=step.stage, occurred_on=step.occurred_on.isoformat(),
           url=page_url(f"/introductions?report={intro.id}#outcome-step-{step.id}"))


def ask_for_next_step(intro: Introduction, step: OutcomeStep) -> None:
    """Ask both parties to record the next step, after one was confirmed (none once the
    ladder has ended: this step ends it, or an end reported and not disputed — every step
    would be refused)."""
    if step.stage == "ended" or any(s.stage == "ended" for s in counting(intro.outcomes)):
        return
    for party in (intro.requester, intro.target):
        notify(party.user, "outcome_next_step", intro, stage_code=step.stage,
               url=report_form_url(intro))
