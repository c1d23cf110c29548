"""Reading what is new in a log walks its primary key, whatever the planner's statistics say.

A worker reads the profile change log and the impression log by sequence: the holes below its
mark, and the tail above it. As one condition (``id > mark OR id BETWEEN …``), PostgreSQL
planned a sequential scan of the whole impression log whenever its statistics dated from when
the log was small — analyzed after seeding (as ``bench_http.py`` and a deployment's first
``ANALYZE`` do) with autovacuum off or not yet run: 30 ms a read at 450,000 impressions, on
every refresh of every worker. The tail is now read ordered and limited, the holes by their
ranges alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, text

from models import db
from webapp.services.change_feed import ChangeCursor
from webapp.services.shown_counts import ShownCounts

TOP = 300_000
HOLE = TOP - 1000  # a transaction still in flight


def _plans(statements: list[tuple[str, object]]) -> list[str]:
    with db.engine.connect() as conn:
        return ["\n".join(conn.exec_driver_sql(f"EXPLAIN {statement}", params).scalars())
                for statement, params in statements]


def test_reading_the_impression_log_walks_its_index_when_statistics_are_stale(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the planner's choice is PostgreSQL's (SQLite reads the rowid b-tree)")
    with db.engine.connect() as conn:  # the statistics of an empty log
        conn.exec_driver_sql("ANALYZE match_impressions")
    db.session.execute(text(
        "INSERT INTO match_impressions (id, ranking, at, rank, kind, sme_country, "
        "sme_ownership) SELECT g, 'r' || (g / 10), CURRENT_TIMESTAMP, 1 + g % 10, "
        "'sme_mentor', 'MX', '' FROM generate_series(1, :top) AS g WHERE g <> :hole"),
        {"top": TOP, "hole": HOLE})
    db.session.commit()
    counts = ShownCounts(places=3, window=timedelta(days=30),
                         cursor=ChangeCursor(last_seq=TOP - 2000))
    counts.cursor.advance([TOP - 1500], now=0.0)  # TOP-1999..TOP-1501: a hole to read again
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, params, context, executemany):
        if "FROM match_impressions" in statement:
            seen.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        counts.read_new(db.session)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert counts.cursor.last_seq == TOP and set(counts.cursor.gaps) == {(HOLE, HOLE)}
    plans = _plans(seen)
    assert plans and all("Seq Scan" not in plan for plan in plans), plans
