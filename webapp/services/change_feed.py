"""Follow the ``profile_changes`` log so each worker process learns which profiles changed.

Sequence numbers are handed out when a transaction inserts its change rows, but transactions
commit in any order: a reader that saw seq 11 may see seq 10 appear later. The cursor
therefore remembers the gaps below its high-water mark and asks for them again until they show
up or are old enough to be a rolled-back transaction's hole.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Row, Select, bindparam, or_
from sqlalchemy.orm import Session

from models import ProfileChange, db

GAP_PATIENCE_S = 120.0
TAIL_PAGE = 5000
"""Rows of a log's tail read at once, in sequence order (a read goes on until the tail ends)."""

Span = tuple[int, int]
"""A run of missing sequence numbers, first and last included."""


def missing_runs(lo: int, hi: int, found: list[int]) -> list[Span]:
    """Return the runs of ``lo..hi`` that are not in ``found`` (sorted)."""
    runs, start = [], lo
    for seq in found[bisect_left(found, lo):]:
        if seq > hi:
            break
        if seq > start:
            runs.append((start, seq - 1))
        start = seq + 1
    if start <= hi:
        runs.append((start, hi))
    return runs


@dataclass
class ChangeCursor:
    """How far a process has read a log numbered by a sequence.

    The holes below the high-water mark are kept as runs, not one entry per number: a log
    emptied or purged, or a large rolled-back batch, leaves a hole of hundreds of thousands,
    which as a list of numbers made every later read send them all to the database (a
    ranking took seconds). Asking for a run costs one range condition on the index."""

    last_seq: int = 0
    gaps: dict[Span, float] = field(default_factory=dict)  # missing run -> when first missed

    def advance(self, seqs: list[int], now: float) -> None:
        """Move past the sequence numbers just read, remembering the holes left behind."""
        found = sorted(set(seqs))
        if found and self.gaps:
            self.gaps = {run: since for (lo, hi), since in self.gaps.items()
                         for run in missing_runs(lo, hi, found)}
        top = found[-1] if found else self.last_seq
        if top > self.last_seq:
            for run in missing_runs(self.last_seq + 1, top, found):
                self.gaps.setdefault(run, now)
            self.last_seq = top
        self.gaps = {run: since for run, since in self.gaps.items()
                     if now - since < GAP_PATIENCE_S}

    def in_gaps(self, column) -> ColumnElement[bool]:
        """Return the condition on ``column`` (the log's sequence) of the holes below the
        high-water mark, one range each."""
        return or_(*(column.between(lo, hi) for lo, hi in self.gaps))

    def missing(self) -> int:
        """Return how many sequence numbers below the high-water mark are still awaited."""
        return sum(hi - lo + 1 for lo, hi in self.gaps)


def gaps_from_manifest(listed: list, now: float) -> dict[Span, float]:
    """Return the holes a snapshot's manifest lists (runs ``[lo, hi]``; older snapshots
    listed single numbers) as a cursor's gaps."""
    runs = [(int(g[0]), int(g[1])) if isinstance(g, list | tuple) else (int(g), int(g))
            for g in listed]
    return dict.fromkeys(runs, now)


NEWEST_SEQ = db.select(db.func.max(ProfileChange.seq)).scalar_subquery()
"""The change log's newest number as a column of another statement (one step back along its
primary key): a read that selects it learns of writes committed through any worker."""


def latest_seq() -> int:
    """Return the newest sequence number of the change log (0 when empty)."""
    return db.session.scalar(db.select(db.func.max(ProfileChange.seq))) or 0


def read_unread(session: Session, query: Select, cursor: ChangeCursor, now: float, *,
                page: int = TAIL_PAGE) -> list[Row]:
    """Return the rows of ``query`` (its first column is the log's sequence) the cursor has
    not read, and advance it.

    The holes below the high-water mark are asked for by their ranges, the tail above it in
    pages in sequence order (``ORDER BY seq LIMIT page``, until a page comes back short). One
    condition ``seq > mark OR seq BETWEEN …`` was a sequential scan of the whole log whenever
    PostgreSQL's statistics dated from when the log was small (analyzed after a seed, with
    autovacuum off or not yet run): 30 ms a read at 450,000 impressions, growing with the log.
    Ordered and limited, the tail walks the primary key whatever the statistics say.
    """
    column = query.selected_columns[0]
    rows = session.execute(query.where(cursor.in_gaps(column))).all() if cursor.gaps else []
    tail = query.where(column > bindparam("after")).order_by(column).limit(page)
    after = cursor.last_seq
    while True:
        chunk = session.execute(tail, {"after": after}).all()
        rows.extend(chunk)
        if len(chunk) < page:
            break
        after = chunk[-1][0]
    cursor.advance([row[0] for row in rows], now)
    return rows


def read_changes(cursor: ChangeCursor, now: float | None = None) -> set[int]:
    """Return the ids of profiles changed since the cursor, and advance it."""
    now = time.monotonic() if now is None else now
    rows = read_unread(db.session, db.select(ProfileChange.seq, ProfileChange.profile_id),
                       cursor, now)
    return {profile_id for _, profile_id in rows}
