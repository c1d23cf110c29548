"""Follow the ``profile_changes`` log so each worker process learns which profiles changed.

Sequence numbers are handed out when a transaction inserts its change rows, but transactions
commit in any order: a reader that saw seq 11 may see seq 10 appear later. The cursor
therefore remembers the gaps below its high-water mark and asks for them again until they show
up or are old enough to be a rolled-back transaction's hole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import or_

from models import ProfileChange, db

GAP_PATIENCE_S = 120.0


@dataclass
class ChangeCursor:
    """How far a process has read the change log."""

    last_seq: int = 0
    gaps: dict[int, float] = field(default_factory=dict)  # missing seq -> when first missed

    def advance(self, seqs: list[int], now: float) -> None:
        """Move past the sequence numbers just read, remembering the holes left behind."""
        for seq in seqs:
            self.gaps.pop(seq, None)
        top = max(seqs, default=self.last_seq)
        seen = set(seqs)
        for missing in range(self.last_seq + 1, top):
            if missing not in seen:
                self.gaps.setdefault(missing, now)
        self.last_seq = max(self.last_seq, top)
        self.gaps = {s: t for s, t in self.gaps.items() if now - t < GAP_PATIENCE_S}


def latest_seq() -> int:
    """Return the newest sequence number of the change log (0 when empty)."""
    return db.session.scalar(db.select(db.func.max(ProfileChange.seq))) or 0


def read_changes(cursor: ChangeCursor, now: float | None = None) -> set[int]:
    """Return the ids of profiles changed since the cursor, and advance it."""
    now = time.monotonic() if now is None else now
    condition = ProfileChange.seq > cursor.last_seq
    if cursor.gaps:
        condition = or_(condition, ProfileChange.seq.in_(list(cursor.gaps)))
    rows = db.session.execute(
        db.select(ProfileChange.seq, ProfileChange.profile_id).where(condition)
    ).all()
    cursor.advance([seq for seq, _ in rows], now)
    return {profile_id for _, profile_id in rows}
