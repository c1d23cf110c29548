"""The metrics' period filter: ``from`` and ``to`` are UTC days, both included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select


def start_of(day: date) -> datetime:
    """Return midnight UTC at the start of the day."""
    return datetime.combine(day, time(), tzinfo=UTC)


def within_period(query: Select, column, filters: dict[str, Any]) -> Select:
    """Restrict the query to rows whose ``column`` falls in the filters' days."""
    if filters.get("from"):
        query = query.where(column >= start_of(filters["from"]))
    if filters.get("to"):
        query = query.where(column < start_of(filters["to"] + timedelta(1)))
    return query
