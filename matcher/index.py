"""The in-memory candidate index: the arrays of every rankable profile of one kind.

An index has a large, immutable *base* segment and a small *delta* segment. Both are
:class:`~matcher.features.ProfileArrays` (sparse columns in CSC) with an ``alive`` mask.
``upsert`` masks the old row of each profile and appends its new row to the delta;
``remove`` masks rows. When the delta outgrows ``delta_limit`` rows, the live rows of both are
compacted into a new base. Refreshing a few profiles therefore costs encoding those profiles,
not rebuilding the index, and gives the same rankings as a fresh build.

Ineligible profiles (inactive, paused, or mentors without capacity left) are never stored:
upserting one removes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import InvalidRecordError
from .factors import LANGUAGE_PATTERN_ROWS, pairing_for, warm_patterns
from .features import ProfileArrays, encode_profiles
from .records import KINDS, ProfileRecord

if TYPE_CHECKING:
    from .bundle import ModelBundle

__all__ = ["QUERY_CACHE_SIZE", "CandidateIndex", "Segment"]

QUERY_CACHE_SIZE = 1024
"""Encoded query records an index keeps (then it starts afresh)."""


@dataclass(eq=False)
class Segment:
    """Candidate arrays plus which rows are live and a sorted-id lookup."""

    arrays: ProfileArrays
    alive: np.ndarray
    sorted_ids: np.ndarray
    order: np.ndarray

    @classmethod
    def of(cls, arrays: ProfileArrays) -> Segment:
        """Wrap ``arrays``, all rows live."""
        order = np.argsort(arrays.ids, kind="stable")
        if len(arrays) >= LANGUAGE_PATTERN_ROWS:
            warm_patterns(arrays)  # built with the index, not on a request
        return cls(arrays, np.ones(len(arrays), bool), arrays.ids[order],
                   order.astype(np.int32 if len(arrays) < 2**31 else np.int64))

    def __len__(self) -> int:
        return len(self.arrays)

    @property
    def n_alive(self) -> int:
        """Return the number of live rows."""
        return int(np.count_nonzero(self.alive))

    @property
    def nbytes(self) -> int:
        """Return the bytes held by the segment's arrays."""
        return (self.arrays.nbytes + self.alive.nbytes + self.sorted_ids.nbytes
                + self.order.nbytes)

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """Return the live rows holding any of ``ids``."""
        ids = np.asarray(ids)
        pos = np.searchsorted(self.sorted_ids, ids)
        inside = pos < self.sorted_ids.size
        pos = pos[inside]
        # Each id's own place holds it or not: an element-wise test (isin's set machinery
        # cost five times as much for the one id of a query, twice a ranking).
        rows = self.order[pos[self.sorted_ids[pos] == ids[inside]]]
        return rows[self.alive[rows]]

    def kill(self, ids: np.ndarray) -> int:
        """Mask the rows of ``ids``; return how many live rows were masked."""
        rows = self.rows_of(ids)
        self.alive[rows] = False
        return int(rows.size)

    def live(self) -> ProfileArrays:
        """Return the arrays of the live rows only."""
        if self.alive.all():
            return self.arrays
        return self.arrays.take(np.flatnonzero(self.alive))


class CandidateIndex:
    """Rankable profiles of one kind, encoded with a bundle's fitted encoders.

    Parameters
    ----------
    bundle : ModelBundle
        The fitted bundle whose encoders (and scorers, at ranking time) are used.
    kind : {"sme", "mentor", "buyer"}
        The candidates' kind.
    delta_limit : int or None
        Delta rows allowed before compaction; None means ``max(1024, 1% of the base)``.

    Attributes
    ----------
    generation : int
        Incremented by every change; lets a caller tell whether it is stale.
    """

    def __init__(self, bundle: ModelBundle, kind: str, *, delta_limit: int | None = None) -> None:
        if kind not in KINDS:
            raise InvalidRecordError(f"unknown candidate kind {kind!r}")
        self.bundle = bundle
        self.kind = kind
        self.delta_limit = delta_limit
        self.generation = 0
        self._base = Segment.of(self._encode([]))
        self._delta = Segment.of(self._encode([]))
        self._queries: dict[ProfileRecord, ProfileArrays] = {}

    @classmethod
    def build(cls, bundle: ModelBundle, kind: str, records: Iterable[ProfileRecord], *,
              delta_limit: int | None = None) -> CandidateIndex:
        """Build an index of the eligible ``records`` (all of ``kind``; last duplicate wins)."""
        index = cls(bundle, kind, delta_limit=delta_limit)
        index._base = Segment.of(index._encode(_eligible_latest(records, kind)))
        return index

    def __len__(self) -> int:
        return self._base.n_alive + self._delta.n_alive

    def __contains__(self, profile_id: object) -> bool:
        ids = np.array([profile_id], dtype=np.int64)
        return any(segment.rows_of(ids).size for segment in self.segments)

    @property
    def segments(self) -> tuple[Segment, ...]:
        """Return the segments that hold live rows."""
        return tuple(s for s in (self._base, self._delta) if s.n_alive)

    @property
    def ids_(self) -> np.ndarray:
        """Return the ids of the live candidates, sorted."""
        parts = [s.arrays.ids[s.alive] for s in (self._base, self._delta)]
        return np.sort(np.concatenate(parts))

    @property
    def nbytes(self) -> int:
        """Return the bytes held by the index's arrays."""
        return self._base.nbytes + self._delta.nbytes

    def encode_query(self, record: ProfileRecord) -> ProfileArrays:
        """Encode one query profile (CSR) with the bundle's encoders, for this index's kind.

        The same record is encoded once: a profile pages through and reloads its matches, and
        encoding (the text vectoriser's checks, mostly) cost a twentieth of a ranking. The
        encoders never change within an index, and the arrays are only read.
        """
        encoded = self._queries.get(record)
        if encoded is None:
            role = pairing_for(record.kind, self.kind).name
            encoded = encode_profiles(self.bundle.encoders, [record], record.kind,
                                      roles=(role,))
            if len(self._queries) >= QUERY_CACHE_SIZE:
                self._queries.clear()
            self._queries[record] = encoded
        return encoded

    def upsert(self, records: Iterable[ProfileRecord]) -> None:
        """Add or replace profiles; ineligible ones are removed instead."""
        records = list(records)
        strays = [r.id for r in records if r.kind != self.kind]
        if strays:
            raise InvalidRecordError(f"profiles {strays[:5]} are not of kind {self.kind!r}")
        self.remove(r.id for r in records)
        fresh = _eligible_latest(records, self.kind)
        if fresh:
            parts = [self._delta.live(), self._encode(fresh)]
            self._delta = Segment.of(ProfileArrays.concat(parts))
        if len(self._delta) > self._limit():
            self.compact()
        self.generation += 1

    def remove(self, ids: Iterable[int]) -> int:
        """Remove profiles by id (unknown ids are ignored); return how many were removed."""
        wanted = np.fromiter(ids, np.int64)
        removed = self._base.kill(wanted) + self._delta.kill(wanted)
        self.generation += 1
        return removed

    def compact(self) -> None:
        """Merge the live rows of the base and the delta into a new base."""
        parts = [self._base.live(), self._delta.live()]
        self._base = Segment.of(ProfileArrays.concat(parts))
        self._delta = Segment.of(self._encode([]))
        self.generation += 1

    def _limit(self) -> int:
        if self.delta_limit is not None:
            return self.delta_limit
        return max(1024, len(self._base) // 100)

    def _encode(self, records: Sequence[ProfileRecord]) -> ProfileArrays:
        return encode_profiles(self.bundle.encoders, records, self.kind, fmt="csc")


def _eligible_latest(records: Iterable[ProfileRecord], kind: str) -> list[ProfileRecord]:
    latest: dict[int, ProfileRecord] = {}
    for record in records:
        if record.kind != kind:
            raise InvalidRecordError(f"profile {record.id} is not of kind {kind!r}")
        latest[record.id] = record
    return [record for record in latest.values() if record.eligible]
