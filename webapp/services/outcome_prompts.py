"""Prompts to record outcomes: both parties of an accepted introduction are asked, by e-mail
in their language, 2, 6 and 12 weeks after the acceptance, until its ladder ends.

The sweep sends them. Each prompt is claimed by a conditional update of the introduction's
``outcome_prompts`` count (``… WHERE outcome_prompts = n``), in the transaction that queues
the e-mails, so two sweeps at once never send one twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from models import Introduction, OutcomeStep, db
from models.introductions import ACCEPTED, COMPLETED
from models.outcomes import DISPUTED
from webapp.services.audit import record
from webapp.services.introductions import notify
from webapp.services.transactions import write_transaction

PROMPT_WEEKS = (2, 6, 12)


def due_prompts(now: datetime) -> list[tuple[int, int]]:
    """Return ``(introduction id, prompts sent)`` of the introductions owed a prompt now."""
    due = []
    for sent, weeks in enumerate(PROMPT_WEEKS):
        ended = db.select(OutcomeStep.introduction_id).where(
            OutcomeStep.stage == "ended", OutcomeStep.status != DISPUTED)
        query = db.select(Introduction.id).where(
            Introduction.state.in_((ACCEPTED, COMPLETED)),
            Introduction.outcome_prompts == sent,
            Introduction.responded_at <= now - timedelta(weeks=weeks),
            Introduction.id.not_in(ended))
        due += [(intro_id, sent) for intro_id in db.session.scalars(query)]
    return sorted(due)


def prompt_parties(intro_id: int, sent: int, now: datetime) -> bool:
    """Ask both parties to record the introduction's outcome (once per prompt), and commit."""
    table = Introduction.__table__
    with write_transaction():
        done = db.session.execute(update(table).where(
            table.c.id == intro_id, table.c.outcome_prompts == sent,
        ).values(outcome_prompts=sent + 1, version=table.c.version + 1)).rowcount
        if not done:
            return False
        intro = db.session.get(Introduction, intro_id)
        weeks = PROMPT_WEEKS[sent]
        base = current_app.config["PUENTE_BASE_URL"].rstrip("/")
        page = f"{base}/introductions#introduction-{intro.id}"  # the ladder and its form
        for party in (intro.requester, intro.target):
            notify(party.user, "outcome_prompt", intro, weeks=weeks, url=page)
        record("introduction.outcome_prompt", "introduction", intro.id, actor=None,
               weeks=weeks)
    return True
