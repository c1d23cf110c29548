"""Label introductions as graded training outcomes for the scorer.

Grades (``matcher.gate.GRADES``): 0 declined, 1 accepted, 2 met (or a mentoring session, or a
trade step between the meeting and the order), 3 an order placed (or a mentoring goal
achieved), 4 a repeat order — by the furthest **confirmed** step of the introduction's outcome
ladder (reported and disputed steps do not count).

Without a confirmed step the acceptance decides, as before: positive (1) when accepted or
completed, or rated 4–5 (by a party or a coordinator); negative (0) when declined for a fit
reason (not my expertise, language, not a fit), or rated 1–2. Ignored: withdrawn, expired,
declines for capacity or timing, and introductions still waiting. A rating says more than the
state, so when there are ratings their mean decides; a confirmed step says more than a rating
(the parties both stated it happened). A match its owner hid
(:mod:`webapp.services.match_marks`) is a negative example (0) too, like a decline for fit.
"""

from __future__ import annotations

from statistics import mean

from sqlalchemy.orm import selectinload

from models import Introduction, Profile, db
from models.introductions import ACCEPTED, COMPLETED, DECLINED, FIT_DECLINE_REASONS
from models.outcomes import CONFIRMED
from webapp.services.match_marks import hidden_pairs
from webapp.services.outcome_ladder import ladder_grade


def label(introduction: Introduction) -> int | None:
    """Return the graded outcome (0–4) of an introduction, or None (no label)."""
    reached = ladder_grade(s.stage for s in introduction.outcomes if s.status == CONFIRMED)
    if reached > 1:
        return reached
    return _acceptance(introduction)


def _acceptance(introduction: Introduction) -> int | None:
    """Return 1 (accepted or rated well), 0 (declined for fit or rated badly) or None."""
    ratings = [f.rating for f in introduction.feedback] + [r.rating for r in introduction.reviews]
    if ratings:
        average = mean(ratings)
        if average >= 4:
            return 1
        if average <= 2:
            return 0
    if introduction.state in (ACCEPTED, COMPLETED):
        return 1
    if introduction.state == DECLINED and introduction.decline_reason_code in FIT_DECLINE_REASONS:
        return 0
    return None


def labelled_introductions() -> list[tuple[Introduction, int]]:
    """Return every introduction that carries an outcome, with its grade."""
    rows = db.session.scalars(db.select(Introduction).options(
        selectinload(Introduction.feedback), selectinload(Introduction.reviews),
        selectinload(Introduction.outcomes),
        selectinload(Introduction.requester), selectinload(Introduction.target),
    ).order_by(Introduction.id))
    return [(row, y) for row in rows if (y := label(row)) is not None]


def training_examples() -> list[tuple[Profile, Profile, int]]:
    """Return (requester, target, label) for every labelled introduction and, labelled 0,
    every (owner, candidate) pair where the owner hid the candidate from its matches."""
    examples = [(i.requester, i.target, y) for i, y in labelled_introductions()]
    return examples + [(owner, candidate, 0) for owner, candidate in hidden_pairs()]
