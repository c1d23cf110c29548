"""CSV exports for coordinators: the introductions of a filter, and the program metrics.

Rows carry codes, ids, dates and figures only — never a name, a contact or a free-text message
— so an export can be shared with the program's funders. Cells that a spreadsheet would run as
a formula are defused with a leading apostrophe. An introduction's party countries are those it
kept when it was made (:mod:`webapp.services.intro_rows`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from models import User
from webapp import policy
from webapp.errors import Forbidden
from webapp.services.intro_rows import IntroRow, introductions_in
from webapp.services.metrics import program_metrics

INTRODUCTION_HEADER = (
    "id", "kind", "state", "created_at", "responded_at", "closed_at", "score", "model_version",
    "requester_id", "requester_kind", "requester_country", "target_id", "target_kind",
    "target_country", "sme_ownership", "decline_reason_code",
)
METRICS_HEADER = ("section", "group", "measure", "value")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The key that names an item of a list of figures (a score decile, a period).
ITEM_KEYS = ("decile", "start")


def _require_staff(user: User) -> None:
    if not policy.may_see_program(user):
        raise Forbidden("staff_only_exports")


def introduction_rows(user: User, filters: dict[str, Any]) -> list[tuple]:
    """Return one row per introduction of the filters (as the metrics count them)."""
    _require_staff(user)
    return [_introduction_row(intro) for intro in introductions_in(filters)]


def _introduction_row(intro: IntroRow) -> tuple:
    sme = next((p for p in (intro.requester, intro.target) if p.kind == "sme"), None)
    return (
        intro.id, intro.kind, intro.state, _iso(intro.created_at), _iso(intro.responded_at),
        _iso(intro.closed_at), intro.score, intro.model_version,
        intro.requester_id, intro.requester.kind, intro.requester.country,
        intro.target_id, intro.target.kind, intro.target.country,
        ";".join(sme.ownership or []) if sme else None, intro.decline_reason_code,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def metric_rows(user: User, filters: dict[str, Any]) -> list[tuple]:
    """Return the program metrics of the filters flattened as (section, group, measure, value)."""
    data = program_metrics(user, filters)
    rows = []
    for section, value in data.items():
        for path, leaf in flatten(value):
            if not path:
                rows.append((section, "", "value", leaf))
            else:
                rows.append((section, "/".join(path[:-1]), path[-1], leaf))
    return rows


def flatten(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Yield ``(path, leaf)`` of nested figures; a list item is named by its decile or start."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            key = next((k for k in ITEM_KEYS if isinstance(item, dict) and k in item), None)
            if key is None:
                yield from flatten(item, (*path, str(index)))
            else:
                rest = {k: v for k, v in item.items() if k != key}
                yield from flatten(rest, (*path, f"{key}={item[key]}"))
    else:
        yield path, value.isoformat() if isinstance(value, date) else value


def safe_cell(value: Any) -> Any:
    """Return a cell a spreadsheet shows as text: no formula, None as empty."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return the rows as CSV text (a header line first, lines ending in CRLF)."""
    rows = list(rows)
    return "".join(text for _, text in csv_chunks(header, rows, max(1, len(rows))))


def csv_chunks(header: Sequence[str], rows: Sequence[Sequence[Any]],
               size: int) -> Iterator[tuple[int, str]]:
    """Yield the CSV text of the rows ``size`` at a time (the header with the first chunk),
    each with how many rows are written so far; joined, they are :func:`to_csv`'s text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    done = 0
    while True:
        chunk = rows[done:done + size]
        writer.writerows([safe_cell(cell) for cell in row] for row in chunk)
        done += len(chunk)
        yield done, out.getvalue()
        out.seek(0)
        out.truncate()
        if done >= len(rows):
            return
