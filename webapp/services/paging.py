"""One page of a listing, as the list use cases return it, and the cached count of its rows.

A list's ``total`` is the number of rows matching the filters, exact as of the newest profile
write in the change log (read at most once per ``PUENTE_MATCHING_REFRESH_MS``). Counting every
row on every page read cost more than the page itself, so each worker keeps the count per list
(kind, filters, and who may see what) with the change log's newest sequence number, and counts
again only when a profile was written since, or after ``PUENTE_LIST_TOTAL_TTL_MS`` (default
5000): a write whose transaction commits after a later one's (the log's numbers are handed out
in insert order) counts within that time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from webapp.services.change_feed import latest_seq

_MAX_CACHED = 1024


@dataclass(frozen=True)
class Page:
    """The rows of one page, its number and size, and how many rows match in all."""

    items: list[Any]
    page: int
    per_page: int
    total: int


def cached_count(key: Hashable, count: Callable[[], int]) -> int:
    """Return how many rows the list ``key`` has, counting with ``count`` only when needed."""
    cache: dict = current_app.extensions.setdefault("puente.list_totals", {})
    now = time.monotonic()
    seq = _newest_write(now)
    ttl = current_app.config["PUENTE_LIST_TOTAL_TTL_MS"] / 1000
    hit = cache.get(key)
    if hit is not None and hit[0] == seq and now - hit[1] < ttl:
        return hit[2]
    total = count()
    if len(cache) >= _MAX_CACHED:
        cache.clear()
    cache[key] = (seq, now, total)
    return total


def _newest_write(now: float) -> int:
    """Return the change log's newest sequence number, read at most once per
    ``PUENTE_MATCHING_REFRESH_MS`` (the bound within which rankings see a write too)."""
    holder: dict = current_app.extensions.setdefault("puente.list_seq", {})
    refresh_s = current_app.config["PUENTE_MATCHING_REFRESH_MS"] / 1000
    if "seq" not in holder or now - holder["at"] >= refresh_s:
        holder.update(seq=latest_seq(), at=now)
    return holder["seq"]
