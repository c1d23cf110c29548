"""Use-case budgets: how often one account may do a thing, whichever route it comes by.

A budget belongs to the use case, not to a route: the introduction request counts the same
whether it comes from the matches page or from ``POST /api/v1/introductions``. Budgets are
counted in the app's Flask-Limiter storage (see :mod:`webapp.ratelimits`), keyed by the app's
prefix, the budget and the account, and are off when ``RATELIMIT_ENABLED`` is false.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse

from webapp.errors import TooManyRequests

# budget -> config key holding its limit ("20 per hour")
BUDGETS = {"introduction_request": "PUENTE_INTRODUCTION_LIMIT",
           "introduction_message": "PUENTE_MESSAGE_LIMIT",
           "meeting_proposal": "PUENTE_MEETING_LIMIT"}
# budget -> the refusal code when it is spent
REFUSALS = {"introduction_request": "introduction_request_budget",
            "introduction_message": "message_budget", "meeting_proposal": "meeting_budget"}


def spend(budget: str, account_id: int) -> None:
    """Count one use of ``budget`` by the account; raise TooManyRequests when it is spent."""
    limiter = current_app.extensions.get("puente.limiter")
    if limiter is None or not limiter.enabled:
        return
    limit = parse(current_app.config[BUDGETS[budget]])
    # Under the app's own prefix, as the routes' limits: deployments sharing a store (one
    # Redis, or one counters file) never spend each other's budgets.
    keys = (current_app.config["RATELIMIT_KEY_PREFIX"], "budget", budget, str(account_id))
    if limiter.limiter.hit(limit, *keys):
        return
    reset_at = limiter.limiter.get_window_stats(limit, *keys).reset_time
    raise TooManyRequests(REFUSALS[budget], retry_after=max(1, math.ceil(reset_at - time.time())))
