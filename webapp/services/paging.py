"""One page of a listing, as the list use cases return it, and the cached count of its rows.

A list's ``total`` is the number of rows matching the filters, exact as of the profile writes
in the change log (whose newest number the page's statement reads: a write committed through
any worker is counted in the next total). Counting every row on
every page read cost more than the page itself, so each worker keeps the count per list (kind,
filters, and who may see what) and counts again only when its cursor on the log
(:class:`~webapp.services.change_feed.ChangeCursor`) finds a write, in order or filling a hole.
While a hole is open below the log's newest number (a transaction that took a number may still
commit) and for a while after the worker starts, it also counts again after
``PUENTE_LIST_TOTAL_TTL_MS`` (default 5000), for a write that changes a list without a logged
profile change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from models import committed_profile_writes
from webapp.services.change_feed import ChangeCursor, latest_seq, read_changes

_MAX_CACHED = 1024


@dataclass(frozen=True)
class Page:
    """The rows of one page, its number and size, and how many rows match in all."""

    items: list[Any]
    page: int
    per_page: int
    total: int


def cached_count(key: Hashable, count: Callable[[], int], newest_change: int | None = None) -> int:
    """Return how many rows the list ``key`` has, counting with ``count`` only when needed;
    ``newest_change``: the change log's newest number, read with the page (a newer one than
    this worker followed is read at once)."""
    cache: dict = current_app.extensions.setdefault("puente.list_totals", {})
    now = time.monotonic()
    version, settled = _log_version(now, newest_change)
    ttl = current_app.config["PUENTE_LIST_TOTAL_TTL_MS"] / 1000
    hit = cache.get(key)
    if hit is not None and hit[0] == version and (settled or now - hit[1] < ttl):
        return hit[2]
    total = count()
    if len(cache) >= _MAX_CACHED:
        cache.clear()
    cache[key] = (version, now, total)
    return total


def _log_version(now: float, newest_change: int | None = None) -> tuple[int, bool]:
    """Return how many reads of the change log found writes (read at most once per
    ``PUENTE_MATCHING_REFRESH_MS``, at once after this process's own write or when the caller
    read a newer number than followed), and whether the log is settled: no hole below its
    newest number that a transaction still open may fill, and this worker has followed it
    for longer than the TTL."""
    holder: dict = current_app.extensions.setdefault("puente.list_log", {})
    refresh_s = current_app.config["PUENTE_MATCHING_REFRESH_MS"] / 1000
    ttl = current_app.config["PUENTE_LIST_TOTAL_TTL_MS"] / 1000
    if "cursor" not in holder:
        # Holes below the newest number are unknown when starting: unsettled for a TTL.
        holder.update(cursor=ChangeCursor(last_seq=latest_seq()), version=0, since=now,
                      at=now, writes=committed_profile_writes())
    elif (now - holder["at"] >= refresh_s or holder.get("writes") != committed_profile_writes()
          or (newest_change is not None and newest_change > holder["cursor"].last_seq)):
        holder["writes"] = committed_profile_writes()  # this process's own: read at once
        if read_changes(holder["cursor"], now):
            holder["version"] += 1
        holder["at"] = now
    settled = not holder["cursor"].gaps and now - holder["since"] >= ttl
    return holder["version"], settled
