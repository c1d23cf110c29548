"""Exposure: logging the profiles each ranking showed, and how often each group was shown.

Logging: every ranking served to a participant (the API's ``…/<id>/matches`` and the matches
page both rank through :func:`webapp.services.matching.rank_for`) adds one impression per
profile in its first ten places. The rows are written off the request path: each worker
buffers them and a thread of its own inserts them in one short transaction at most
``PUENTE_IMPRESSION_FLUSH_MS`` (default 1000) after the first one waits, or at once when 500
wait, and when the process exits; with 0 they are written at once, in a transaction of their
own (the ranking's session is never committed or rolled back here). A worker killed outright
loses at most the rows of that wait. A failure to log is a warning, never a failed ranking.
Rankings staff view on someone's behalf are not logged: exposure measures what participants
themselves are shown, and coordinators' browsing would inflate it. Each row keeps the
pairing's SME country and ownership groups as they were when shown, and the profile ids go
to NULL when a profile is deleted, so the figures survive account deletion.

Figures (impressions shown in the period, of the pairing, whose SME is in the country asked
for):

* *rankings*: rankings with at least one impression counted (with a country filter, those
  that showed an SME of the country or were shown to one);
* *by_kind*: impressions by the shown profile's kind;
* per SME country and per ownership group (an SME with several groups counts in each, one
  declaring none in ``none``): ``profiles`` = active SME profiles now in the group;
  ``impressions`` = times SMEs of the group were shown (rankings for mentors and buyers);
  ``share_of_profiles`` and ``share_of_impressions`` = the group's part of all active SME
  profiles and of all SME impressions; ``per_profile`` = impressions / profiles. Each is
  ``None`` when its denominator is 0; a group is listed when it has profiles or impressions.
"""

from __future__ import annotations

import atexit
import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Connection, Select, distinct, func, insert, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from models import INTRODUCTION_KINDS, PROFILE_KINDS, MatchImpression, Profile, db, utcnow
from models.exposures import IMPRESSION_RANKS, PAIRING_SIDES
from webapp.services.periods import within_period
from webapp.services.transactions import separate_transaction

Groups = Callable[[str, str], Iterable[str]]  # (country, ownership string) -> group keys


def log_impressions(profile: Profile, kind: str, shown: Sequence[Profile]) -> None:
    """Log the first ten profiles a ranking showed (written in batches by
    :class:`ImpressionBuffer`); a failure only logs a warning."""
    shown = list(shown)[:IMPRESSION_RANKS]
    if not shown:
        return
    pairing = INTRODUCTION_KINDS[(profile.kind, kind)]
    ranking, at = uuid.uuid4().hex, utcnow()
    rows = [{"ranking": ranking, "at": at, "requester_id": profile.id, "shown_id": row.id,
             "rank": place, "kind": pairing, **_sme_side(profile if kind != "sme" else row)}
            for place, row in enumerate(shown, start=1)]
    buffer = _buffer()
    if buffer is None:
        _write(rows)
    else:
        buffer.add(rows)


def _sme_side(sme: Profile) -> dict[str, str]:
    return {"sme_country": sme.country, "sme_ownership": _ownership_key(sme.ownership)}


def _write(rows: list[dict[str, Any]]) -> None:
    try:
        with separate_transaction() as session:
            connection = session.connection()
            if connection.dialect.name == "postgresql":
                _copy(connection, rows)
            else:
                session.execute(insert(MatchImpression), rows)
    except SQLAlchemyError:
        current_app.logger.warning("Could not log match impressions.", exc_info=True)


_COPIED = tuple(column.name for column in MatchImpression.__table__.columns
                if not column.primary_key)


def _copy(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Write the rows with PostgreSQL's COPY, in the connection's transaction.

    For 500 rows: 2.8 ms of the worker's CPU against 13.4 ms for the DB-API's executemany of
    one INSERT, and PostgreSQL's 4.0 ms against 13.5 (``scripts/bench_impression_log.py``); an
    INSERT of many VALUES, compiled anew for every batch, cost the worker 94 ms. A driver
    error is raised as SQLAlchemy's, like any other statement's.
    """
    driver = connection.dialect.loaded_dbapi
    statement = f"COPY {MatchImpression.__tablename__} ({', '.join(_COPIED)}) FROM STDIN"
    try:
        with (connection.connection.driver_connection.cursor() as cursor,
              cursor.copy(statement) as copy):
            for row in rows:
                copy.write_row([row[name] for name in _COPIED])
    except driver.Error as err:
        raise DBAPIError.instance(statement, None, err, driver.Error) from err


class ImpressionBuffer:
    """One worker's impressions waiting to be written, and the thread that writes them."""

    MAX_ROWS = 500

    def __init__(self, app: Flask, wait_s: float) -> None:
        self.app, self.wait_s = app, wait_s
        self.rows: list[dict[str, Any]] = []
        self.lock, self.due = threading.Lock(), threading.Event()
        threading.Thread(target=self._run, name="impression-log", daemon=True).start()
        atexit.register(self.flush)

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Queue a ranking's rows; the thread writes them within the wait."""
        with self.lock:
            self.rows += rows
            if len(self.rows) >= self.MAX_ROWS:
                self.due.set()

    def flush(self) -> None:
        """Write every queued row now."""
        with self.lock:
            rows, self.rows = self.rows, []
        if rows:
            with self.app.app_context():
                _write(rows)

    def _run(self) -> None:
        while True:
            self.due.wait(self.wait_s)
            self.due.clear()
            try:
                self.flush()
            except Exception:  # the thread must outlive any one batch's failure
                self.app.logger.warning("Could not log match impressions.", exc_info=True)


def _buffer() -> ImpressionBuffer | None:
    """Return this process's buffer (None when rows are written at once)."""
    wait_ms = current_app.config["PUENTE_IMPRESSION_FLUSH_MS"]
    if wait_ms <= 0:
        return None
    holder = current_app.extensions.setdefault("puente.impressions", {})
    if holder.get("pid") != os.getpid():  # a forked process starts its own thread
        holder.update(pid=os.getpid(), buffer=ImpressionBuffer(
            current_app._get_current_object(), wait_ms / 1000))
    return holder["buffer"]


def _ownership_key(groups: Iterable[str] | None) -> str:
    return ",".join(sorted(set(groups or ())))


def exposure_metrics(filters: dict[str, Any]) -> dict[str, Any]:
    """Return the exposure figures for the filters (``from``, ``to``, ``country``, ``kind``)."""
    counted = _counts_by_group(filters)
    by_kind: Counter[str] = Counter()
    for row in counted:
        by_kind[PAIRING_SIDES[row.kind][1]] += row.impressions
    sme_rows = [r for r in counted if PAIRING_SIDES[r.kind][1] == "sme"]
    smes = _active_smes(filters.get("country"))
    return {
        "rankings": db.session.scalar(_filtered(
            select(func.count(distinct(MatchImpression.ranking))), filters)),
        "impressions": sum(by_kind.values()),
        "by_kind": {k: by_kind[k] for k in PROFILE_KINDS},
        "by_sme_country": _groups(smes, sme_rows, lambda country, _: [country]),
        "by_ownership": _groups(smes, sme_rows,
                                lambda _, owned: owned.split(",") if owned else ["none"]),
    }


def _counts_by_group(filters: dict[str, Any]) -> list:
    """Return the impressions counted by pairing, SME country and SME ownership key."""
    columns = (MatchImpression.kind, MatchImpression.sme_country, MatchImpression.sme_ownership)
    query = _filtered(select(*columns, func.count().label("impressions")), filters)
    return list(db.session.execute(query.group_by(*columns)))


def _filtered(query: Select, filters: dict[str, Any]) -> Select:
    """Return the query of impressions restricted to the filters."""
    query = within_period(query, MatchImpression.at, filters)
    if filters.get("kind"):
        query = query.where(MatchImpression.kind == filters["kind"])
    if filters.get("country"):
        query = query.where(MatchImpression.sme_country == filters["country"])
    return query



def _active_smes(country: str | None) -> list[tuple[str, str]]:
    query = select(Profile.country, Profile.ownership).where(
        Profile.kind == "sme", Profile.active.is_(True))
    if country:
        query = query.where(Profile.country == country)
    return [(row.country, _ownership_key(row.ownership)) for row in db.session.execute(query)]


def _groups(smes: list[tuple[str, str]], sme_rows: list, keys: Groups) -> dict[str, Any]:
    profiles: Counter[str] = Counter()
    for country, owned in smes:
        profiles.update(keys(country, owned))
    shown: Counter[str] = Counter()
    for row in sme_rows:
        for key in keys(row.sme_country, row.sme_ownership):
            shown[key] += row.impressions
    total_profiles, total_shown = len(smes), sum(r.impressions for r in sme_rows)
    return {key: {"profiles": profiles[key], "impressions": shown[key],
                  "share_of_profiles": _ratio(profiles[key], total_profiles),
                  "share_of_impressions": _ratio(shown[key], total_shown),
                  "per_profile": _ratio(shown[key], profiles[key])}
            for key in sorted(profiles.keys() | shown.keys())}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
