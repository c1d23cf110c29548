"""Per-worker exposure counts, kept up to date from the impression log without re-counting it.

The fair-exposure re-ranker asks, for a pool of candidates, how many *other* requesters were
shown each one in the first places of the same pairing within the window. Counting that in SQL
on every ranking grew with the log (8.7 ms of a 23 ms request at 22,000 profiles). Instead each
worker keeps, per (pairing, shown profile), the latest time each requester was shown it:

* on first use, one grouped query over the window (``max(at)`` per pairing, shown profile and
  requester);
* then, at most once per ``PUENTE_MATCHING_REFRESH_MS``, only the rows with an id above the
  highest one read (plus the ids still missing below it: rows another worker's transaction
  had not committed yet, as in :mod:`webapp.services.change_feed`);
* showings older than the window leave through a heap ordered by time.

A count is then the size of one small dict (less one when the requester itself is in it), so a
ranking's pool costs microseconds whatever the size of the log. Every worker reads the same
log, so workers and hosts re-rank alike, as before. A requester deleted later (its rows go
to NULL) stops counting when the counts are next loaded whole, at most ``RELOAD_S`` later.
"""

from __future__ import annotations

import heapq
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from math import inf

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import MatchImpression
from webapp.services.change_feed import ChangeCursor, read_unread

RELOAD_S = 600.0
"""A worker reloads its counts whole at least this often (deleted requesters stop counting)."""
GAP_SPAN = 2000
"""Ids below the highest read at the first load that are re-asked for if missing (in flight)."""

Key = tuple[str, int]  # (pairing, shown profile id)


@dataclass
class ShownCounts:
    """Who was shown what in the window, as far as this worker has read the log."""

    places: int
    window: timedelta
    cursor: ChangeCursor = field(default_factory=ChangeCursor)
    latest: dict[Key, dict[int, datetime]] = field(default_factory=dict)
    heap: list[tuple[datetime, str, int, int]] = field(default_factory=list)
    loaded_at: float = -inf
    read_at: float = -inf

    def counts(self, pairing: str, ids: list[int], requester_id: int,
               since: datetime) -> dict[int, int]:
        """Return, per id, how many requesters other than ``requester_id`` were shown it."""
        self._evict(since)
        out = {}
        for pid in ids:
            shown = self.latest.get((pairing, pid))
            if shown:
                out[pid] = len(shown) - (requester_id in shown)
        return out

    def load(self, session: Session, now: datetime) -> None:
        """Read the whole window afresh (grouped: one row per pairing, shown and requester)."""
        since = now - self.window
        top = session.scalar(select(func.max(MatchImpression.id))) or 0
        grouped = (select(MatchImpression.kind, MatchImpression.shown_id,
                          MatchImpression.requester_id, func.max(MatchImpression.at))
                   .where(MatchImpression.id <= top, MatchImpression.at >= since,
                          MatchImpression.rank <= self.places,
                          MatchImpression.shown_id.is_not(None),
                          MatchImpression.requester_id.is_not(None))
                   .group_by(MatchImpression.kind, MatchImpression.shown_id,
                             MatchImpression.requester_id))
        self.latest, self.heap = {}, []
        for kind, shown_id, requester_id, at in session.execute(grouped):
            self._add(kind, shown_id, requester_id, at)
        recent = session.scalars(select(MatchImpression.id).where(
            MatchImpression.id > top - GAP_SPAN, MatchImpression.id <= top)).all()
        self.cursor = ChangeCursor(last_seq=max(top - GAP_SPAN, 0))
        self.cursor.advance(list(recent), time.monotonic())
        self.loaded_at = self.read_at = time.monotonic()

    def read_new(self, session: Session) -> None:
        """Add the rows written since the last read (and those that were missing)."""
        rows = read_unread(session, select(
            MatchImpression.id, MatchImpression.kind, MatchImpression.shown_id,
            MatchImpression.requester_id, MatchImpression.at, MatchImpression.rank,
        ), self.cursor, time.monotonic())
        for row in rows:
            if row.rank <= self.places and None not in (row.shown_id, row.requester_id):
                self._add(row.kind, row.shown_id, row.requester_id, row.at)
        self.read_at = time.monotonic()

    def _add(self, pairing: str, shown_id: int, requester_id: int, at: datetime) -> None:
        at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        shown = self.latest.setdefault((pairing, shown_id), {})
        previous = shown.get(requester_id)
        if previous is None:
            shown[requester_id] = at
            heapq.heappush(self.heap, (at, pairing, shown_id, requester_id))
        elif previous < at:
            # One heap entry per requester and profile, not per showing: a requester who
            # looks at the same matches all day would otherwise grow the heap by the page's
            # size per visit. The entry moves to the latest showing when it comes up.
            shown[requester_id] = at

    def _evict(self, since: datetime) -> None:
        while self.heap and self.heap[0][0] < since:
            _, pairing, shown_id, requester_id = heapq.heappop(self.heap)
            shown = self.latest.get((pairing, shown_id))
            latest = shown.get(requester_id) if shown is not None else None
            if latest is None:
                continue
            if latest >= since:  # shown again since: its entry follows the latest showing
                heapq.heappush(self.heap, (latest, pairing, shown_id, requester_id))
                continue
            del shown[requester_id]
            if not shown:
                del self.latest[(pairing, shown_id)]


def shown_counts(holder: dict, engine, pairing: str, ids: list[int], *, requester_id: int,
                 since: datetime, places: int, window: timedelta,
                 refresh_s: float) -> dict[int, int]:
    """Return, per id, how many other requesters were shown it in their first ``places``.

    The counts live in ``holder`` (a per-application dict, ``app.extensions``; a forked process
    starts its own) and are read from the log at most once per ``refresh_s``. Raises
    ``SQLAlchemyError`` when the log cannot be read.
    """
    with holder.setdefault("lock", threading.Lock()):
        counts: ShownCounts | None = holder.get("counts")
        if (counts is None or holder.get("pid") != os.getpid() or counts.window != window
                or counts.places != places):
            counts = ShownCounts(places, window)
            holder.update(counts=counts, pid=os.getpid())
        mono = time.monotonic()
        if mono - counts.read_at >= refresh_s:
            # Ended with COMMIT, not the ROLLBACK of a closed session: a rollback clears the
            # prepared statements of the pooled connection (webapp.database).
            with Session(engine) as session, session.begin():
                if mono - counts.loaded_at >= RELOAD_S:
                    counts.load(session, since + window)
                else:
                    counts.read_new(session)
        return counts.counts(pairing, ids, requester_id, since)
