"""A simulated program history for the demo, so the metrics and cohort pages have content.

Eight weeks of a program (deterministic for a seed), through the real use cases: a confirmed
cohort of Mexican SMEs and US mentors whose requests are spread over the weeks and answered a
few hours to four days later (accepted the likelier the better the score, some left
unanswered), coordinator reviews of a share of them, the rankings a sample of mentors were
shown (the exposure log), and a re-run of the cohort with other options left as a draft with
its diff; outcome ladders (``demo_outcomes``) on the accepted mentorships and on trade
introductions of Mexican SMEs to US and Canadian buyers. Mentors with an account answer for
themselves, so their requests stay open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from models import Introduction, Profile, User, db, utcnow
from webapp.errors import PuenteError
from webapp.services import (
    cohorts,
    demo_outcomes,
    exposure,
    introduction_states,
    introductions,
    matching,
)
from webapp.services.transactions import write_transaction

COHORT = {"smes": {"filter": {"country": "MX"}}, "mentors": {"filter": {"country": "US"}},
          "options": {"objective": "coverage", "min_score": 0.2}}
RERUN_OPTIONS = {"objective": "total_score", "min_score": 0.3, "mentors_per_sme": 2}
MENTORS_BROWSING = 40


@dataclass(frozen=True)
class HistoryReport:
    introductions: int
    reviews: int
    rankings: int
    outcome_steps: int = 0


def seed_program_history(coordinator: User, seed: int = 2026, weeks: int = 8) -> HistoryReport:
    """Simulate ``weeks`` of a program as the coordinator; return what was created."""
    rng = random.Random(seed)
    first = cohorts.propose(coordinator, COHORT)
    created = cohorts.confirm_proposal(coordinator, first.id).result["confirmation"]["created"]
    start = utcnow() - timedelta(weeks=weeks)
    reviews = 0
    for entry in created:
        reviews += _answer(coordinator, entry["introduction_id"], start, weeks, rng)
    cohorts.propose(coordinator, {**COHORT, "previous_id": first.id, "options": RERUN_OPTIONS})
    rankings = _mentors_browse(coordinator, rng)
    steps = demo_outcomes.seed_outcomes(coordinator, rng, start)
    return HistoryReport(len(created), reviews, rankings, steps)


def _answer(coordinator: User, intro_id: int, start, weeks: int, rng: random.Random) -> int:
    """Date the request, answer it as the mentor would, maybe review it; return reviews made."""
    with write_transaction():
        intro = db.session.get(Introduction, intro_id)
        intro.created_at = start + timedelta(days=rng.uniform(0, weeks * 7 - 3))
        answered = intro.created_at + timedelta(hours=rng.uniform(3, 96))
        score = intro.score if intro.score is not None else 0.5
    try:
        roll = rng.random()
        if roll < score:
            introduction_states.accept(coordinator, intro_id, now=answered)
        elif roll < 0.9:
            introduction_states.decline(coordinator, intro_id, "not_a_fit", now=answered)
        if rng.random() < 0.4:
            rating = max(1, min(5, round(score * 5 + rng.uniform(-1, 1))))
            introductions.add_review(coordinator, intro_id, rating, "", False)
            return 1
    except PuenteError:  # a mentor with an account answers for itself
        pass
    return 0


def _mentors_browse(coordinator: User, rng: random.Random) -> int:
    """Log the SME rankings a sample of mentors were shown, as if they had looked."""
    mentors = db.session.scalars(db.select(Profile).where(
        Profile.kind == "mentor", Profile.active.is_(True)).order_by(Profile.id)).all()
    sample = rng.sample(mentors, min(MENTORS_BROWSING, len(mentors)))
    for mentor in sample:
        ranked, _ = matching.rank_for(coordinator, mentor, "sme", 10)  # staff: not logged
        exposure.log_impressions(mentor, "sme", [m.profile for m in ranked])
    return len(sample)
