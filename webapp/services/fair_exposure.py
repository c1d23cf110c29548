"""Fair exposure in the rankings served: the engine's re-ranker fed with the impression log.

Every ranking a participant is shown (``rank_for``) is re-ranked by
:class:`matcher.exposure.ExposureReranker`: among the best ``k + PUENTE_EXPOSURE_DEPTH``
candidates by score, those shown less than their competitors get a bonus of at most
``PUENTE_EXPOSURE_STRENGTH`` (in score units), so a rarely shown profile gets its turn while a
much better one is never passed by a much worse one. The re-ranked order is one list however
deep a page asks (the first :data:`COUNTED_PLACES` places draw from the best
``COUNTED_PLACES + depth``, each later place from ``depth`` further down), so pages never
repeat nor skip a candidate.

A candidate's exposure is read from the impression log the service already writes
(``match_impressions``): the number of *other* requesters who were shown it in the first
:data:`COUNTED_PLACES` places of the same pairing in the last ``PUENTE_EXPOSURE_WINDOW_DAYS``
days. Distinct requesters, so reloading a page does not make a profile "more shown"; others
only, so the requester's own views never reshuffle its list (a reload shows the same list until
other participants' views change the counts). The counts are read in a session of their own;
when they cannot be read, the ranking is served by score alone, a warning is logged and the
answer says it was not adjusted (:func:`adjusted`). The
log is shared by every worker process and host, so all of them re-rank alike. Each worker keeps
the counts in memory and reads only the log's new rows (:mod:`webapp.services.shown_counts`).
Rows whose requester was deleted (NULL) no longer count once the counts are next reloaded.

Staff rankings on someone's behalf show what that participant would see; staff may ask for
the plain ranking (``plain``), participants may not (the point is that nobody keeps seeing the
same few profiles).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import numpy as np
from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError

from matcher.exposure import DEFAULT_DEPTH, DEFAULT_STRENGTH, ExposureReranker
from models import INTRODUCTION_KINDS, Profile, db, utcnow
from webapp.config import refused
from webapp.services import shown_counts as worker_counts

COUNTED_PLACES = 5  # a showing counts when the profile was in a ranking's first five places
SETTINGS: dict[str, Any] = {
    "PUENTE_EXPOSURE_RERANK": True,
    "PUENTE_EXPOSURE_STRENGTH": DEFAULT_STRENGTH,
    "PUENTE_EXPOSURE_DEPTH": DEFAULT_DEPTH,
    "PUENTE_EXPOSURE_WINDOW_DAYS": 28,
}


def init_app(app: Flask) -> None:
    """Fill in the settings' defaults and refuse a bad one at start-up, naming it."""
    for name, default in SETTINGS.items():
        app.config.setdefault(name, default)
    check_settings(app.config)


def check_settings(config: Mapping[str, Any]) -> None:
    """Raise ``ConfigError`` (a ``ValueError``) naming the first exposure setting that is out
    of range, as every setting is refused (one line from the ``flask`` commands)."""
    if not isinstance(config["PUENTE_EXPOSURE_RERANK"], bool):
        raise refused("PUENTE_EXPOSURE_RERANK", config["PUENTE_EXPOSURE_RERANK"],
                      "true or false")
    strength = config["PUENTE_EXPOSURE_STRENGTH"]
    if (isinstance(strength, bool) or not isinstance(strength, int | float)
            or not math.isfinite(strength) or not 0 <= strength <= 1):
        raise refused("PUENTE_EXPOSURE_STRENGTH", strength, "a number from 0 to 1")
    for name, low in (("PUENTE_EXPOSURE_DEPTH", 0), ("PUENTE_EXPOSURE_WINDOW_DAYS", 1)):
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise refused(name, value, f"a whole number, {low} or more")


def enabled() -> bool:
    """Tell whether participants' rankings are re-ranked for fair exposure."""
    config = current_app.config
    return config["PUENTE_EXPOSURE_RERANK"] and config["PUENTE_EXPOSURE_STRENGTH"] > 0


def reranker_for(profile: Profile, kind: str) -> ExposureReranker | None:
    """Return the re-ranker of the profile's rankings of ``kind``, or None when it is off."""
    if not enabled():
        return None
    config = current_app.config
    pairing = INTRODUCTION_KINDS[(profile.kind, kind)]
    since = utcnow() - timedelta(days=config["PUENTE_EXPOSURE_WINDOW_DAYS"])

    def exposure_of(ids: np.ndarray) -> np.ndarray:
        counts = shown_counts(pairing, ids.tolist(), requester_id=profile.id, since=since)
        return np.array([counts.get(int(pid), 0) for pid in ids], dtype=np.float64)

    # One order however deep a page asks (``places``): pages never repeat nor skip anyone.
    return ExposureReranker(exposure_of, float(config["PUENTE_EXPOSURE_STRENGTH"]),
                            config["PUENTE_EXPOSURE_DEPTH"], places=COUNTED_PLACES)


def shown_counts(pairing: str, ids: list[int], *, requester_id: int, since) -> dict[int, int]:
    """Return, per id, how many other requesters were shown it in their first places.

    Read from this worker's counts (:mod:`webapp.services.shown_counts`), which follow the
    impression log at most once per ``PUENTE_MATCHING_REFRESH_MS``.
    """
    if not ids:
        return {}
    config = current_app.config
    holder = current_app.extensions.setdefault("puente.shown_counts", {})
    try:
        return worker_counts.shown_counts(
            holder, db.engine, pairing, ids, requester_id=requester_id, since=since,
            places=COUNTED_PLACES, window=timedelta(days=config["PUENTE_EXPOSURE_WINDOW_DAYS"]),
            refresh_s=config["PUENTE_MATCHING_REFRESH_MS"] / 1000)
    except SQLAlchemyError:
        current_app.logger.warning("Could not read exposure counts; ranking by score alone.",
                                   exc_info=True)
        g.puente_exposure_unread = True  # the answer says so (:func:`adjusted`)
        return {}


def adjusted(plain: bool = False) -> bool:
    """Tell whether this request's ranking was re-ranked for fair exposure: it is on, the
    plain ranking was not asked for, and the exposure counts could be read (when they could
    not, the ranking was served by score alone)."""
    return enabled() and not plain and not g.get("puente_exposure_unread", False)
