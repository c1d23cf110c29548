"""Ranking quality from outcomes: precision@k and NDCG@k from staff reviews and party feedback.

Definitions (over the introductions the metrics count):

* an introduction's *rating* is the mean of its coordinator reviews' ratings (``reviews``) or
  of its parties' feedback ratings (``feedback``), 1–5; only rated introductions count;
* each requester profile's rated introductions form one ranked list, ordered by the match
  score stored at request time (best first; ties, and introductions without a score, after,
  by id), as the requester saw them ranked;
* *precision@k*: the share of the first ``min(k, n)`` introductions rated ``>= 4``;
* *NDCG@k*: DCG of the first ``k`` with linear gain ``rating − 1`` (so 0 for a rating of 1)
  and discount ``log2(place + 1)``, over the DCG of the same ratings in the best order;
  requesters whose gains are all 0 have no NDCG and are skipped;
* both are averaged over requesters (each requester weighs the same), rounded to 4 places,
  and ``None`` when no requester counts.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from matcher.evaluation import precision_at_k
from models import IntroductionFeedback, IntroductionReview, db
from webapp.services.intro_rows import IntroRow

K = 5
RELEVANT_RATING = 4


def ranking_quality(intros: Sequence[IntroRow]) -> dict[str, Any]:
    """Return precision@k and NDCG@k of the introductions' order, from reviews and feedback."""
    return {"k": K, "relevant_rating": RELEVANT_RATING,
            "reviews": _quality(intros, _mean_ratings(IntroductionReview)),
            "feedback": _quality(intros, _mean_ratings(IntroductionFeedback))}


def _mean_ratings(model) -> dict[int, float]:
    """Return each rated introduction's mean rating in the table of ``model``."""
    rows = db.session.execute(
        select(model.introduction_id, func.sum(model.rating), func.count())
        .group_by(model.introduction_id))
    return {intro_id: total / count for intro_id, total, count in rows}


def _quality(intros: Sequence[IntroRow], ratings: dict[int, float]) -> dict[str, Any]:
    groups: dict[int, list[IntroRow]] = defaultdict(list)
    for intro in intros:
        if intro.id in ratings:
            groups[intro.requester_id].append(intro)
    precisions, ndcgs = [], []
    for group in groups.values():
        group.sort(key=lambda i: (i.score is None, -(i.score or 0.0), i.id))
        ordered = [ratings[i.id] for i in group]
        precisions.append(precision_at_k(ordered, min(K, len(ordered)), RELEVANT_RATING))
        gains = [rating - 1 for rating in ordered]
        if any(gains):
            ndcgs.append(linear_ndcg_at_k(gains, K))
    return {"requesters": len(groups), "rated": sum(len(g) for g in groups.values()),
            "precision_at_k": _mean(precisions), "ndcg_at_k": _mean(ndcgs)}


def linear_ndcg_at_k(gains: Sequence[float], k: int) -> float:
    """Return NDCG@k of gains listed in ranked order, with linear gain (0 when all are 0).

    ``matcher.evaluation.ndcg_at_k`` uses the exponential gain ``2**grade − 1`` of 0–3 grades.
    """
    def dcg(values: Sequence[float]) -> float:
        return sum(g / math.log2(place + 2) for place, g in enumerate(values[:k]))
    best = dcg(sorted(gains, reverse=True))
    return dcg(list(gains)) / best if best > 0 else 0.0


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None
