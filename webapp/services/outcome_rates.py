"""Outcome rates by score decile: does a higher match score lead to more meetings and orders,
not only to more acceptances?

Over the *decided* introductions the metrics count (accepted, completed, declined or expired)
that kept a match score at request time, bucketed as the acceptance by score decile is (decile
``d`` holds scores in ``[d/10, (d+1)/10)``, a score of 1.0 in the last). Per decile:

* ``introductions``: how many;
* ``accepted``: accepted or completed;
* ``met``: with a **confirmed** step of grade 2 or more — a meeting (or a later trade step
  before the order), or a mentoring session (:data:`outcome_ladder.STEP_GRADES`);
* ``ordered``: with a confirmed step of grade 3 or more — an order (first or repeat), or a
  mentoring goal achieved;
* ``accepted_rate``, ``met_rate``, ``order_rate``: each count over ``introductions``, rounded
  to 4 places.

Reported and disputed steps do not count, as in the impact report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from models import OutcomeStep, db
from models.introductions import ACCEPTED, COMPLETED
from models.outcomes import CONFIRMED
from webapp.services.intro_rows import IntroRow
from webapp.services.outcome_ladder import STEP_GRADES, ladder_grade

MET, ORDERED = 2, 3


def confirmed_grades(intro_ids: set[int]) -> dict[int, int]:
    """Return the grade (2–4) reached by the confirmed steps of those introductions that have
    one of grade 2 or more."""
    rows = db.session.execute(db.select(OutcomeStep.introduction_id, OutcomeStep.stage).where(
        OutcomeStep.status == CONFIRMED, OutcomeStep.stage.in_(tuple(STEP_GRADES))))
    stages: dict[int, list[str]] = defaultdict(list)
    for intro_id, stage in rows:
        if intro_id in intro_ids:
            stages[intro_id].append(stage)
    return {intro_id: ladder_grade(found) for intro_id, found in stages.items()}


def outcomes_by_score_decile(decided: Sequence[IntroRow]) -> list[dict[str, Any]]:
    """Return, per score decile with introductions, the acceptance, meeting and order rates."""
    scored = [i for i in decided if i.score is not None]
    grades = confirmed_grades({i.id for i in scored})
    groups: dict[int, list[IntroRow]] = defaultdict(list)
    for intro in scored:
        groups[min(int(intro.score * 10), 9)].append(intro)
    return [{"decile": d, "from": d / 10, "to": (d + 1) / 10,
             **_rates(groups[d], grades)} for d in range(10) if groups[d]]


def _rates(intros: list[IntroRow], grades: dict[int, int]) -> dict[str, Any]:
    n = len(intros)
    counts = {"accepted": sum(1 for i in intros if i.state in (ACCEPTED, COMPLETED)),
              "met": sum(1 for i in intros if grades.get(i.id, 1) >= MET),
              "ordered": sum(1 for i in intros if grades.get(i.id, 1) >= ORDERED)}
    return {"introductions": n, **counts,
            **{f"{name}_rate": round(counts[key] / n, 4)
               for name, key in (("accepted", "accepted"), ("met", "met"),
                                 ("order", "ordered"))}}
