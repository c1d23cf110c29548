"""Time the owner's read of a match request several ways, each in a request of its own.

A match request reads its owner's profile with the owner's marks and introductions in one
statement (``webapp.services.match_cards.profile_with_cards``). Inside a loop, that statement
costs less than in a request: a request begins a session, checks a connection out, loads the
profile into an empty identity map and gives the connection back. So each way here runs in a
fresh test request context, ended as a served request ends (the app context's teardown: the
read's commit, the session's removal, the connection back to the pool), ``--batch`` requests a
way, the ways alternating for ``--rounds`` rounds::

    python scripts/time_owner_read.py --database-url postgresql+psycopg://…/puente_bench_e

The ways:

- ``checkout``: the request context and the session's connection alone, no statement;
- ``orm``: ``profile_with_cards`` as the match view calls it (an ORM profile, the cards read);
- ``core``: the same statement through the session's connection (rows, no ORM object);
- ``driver``: the SQL SQLAlchemy compiled for it, run on the driver's own connection (prepared,
  on PostgreSQL) and its row fetched;
- ``driver+profile``: ``driver``, then the row made a ``Profile`` (SQLAlchemy's result types
  applied, its constructor) and attached to the session by ``merge(load=False)``, as the
  account cache attaches an account.

Before timing, it checks that every way read the same values. It prints each way's median CPU
microseconds a request beyond ``checkout`` (per round) and its ratio to ``orm``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WAYS = ("checkout", "orm", "core", "driver", "driver+profile")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=int, default=300, help="Requests a way a round.")
    return parser.parse_args(argv)


class OwnerReads:
    """The owner's read, each way, for one profile of an app (inside its request contexts)."""

    def __init__(self, app, profile_id: int) -> None:
        from models import Profile, db
        from webapp.services import match_cards

        self.app, self.profile_id, self.db = app, profile_id, db
        self.statement = match_cards._PROFILE_WITH_CARDS
        self.cards = match_cards.OwnerCards.of_columns
        self.columns = list(Profile.__table__.columns)
        self.keys = [Profile.__mapper__.get_property_by_column(c).key for c in self.columns]
        self.profile_class = Profile
        self.sql, self.params = self._compiled()
        self.processors = self._processors()

    def _compiled(self) -> tuple[str, Any]:
        """The SQL and parameters SQLAlchemy hands the driver for the statement."""
        from sqlalchemy import event

        sent: list[tuple[str, Any]] = []

        def note(_conn, _cursor, statement, parameters, _context, _many) -> None:
            sent.append((statement, parameters))

        with self.app.test_request_context():
            event.listen(self.db.engine, "before_cursor_execute", note)
            try:
                self.db.session.connection().execute(self.statement,
                                                     {"id": self.profile_id}).first()
            finally:
                event.remove(self.db.engine, "before_cursor_execute", note)
        return sent[0]

    def _processors(self) -> list[Callable | None]:
        """SQLAlchemy's result processor of each profile column, for the driver's types."""
        with self.app.test_request_context():
            dialect = self.db.engine.dialect
            cursor = self._executed()
            codes = [column[1] for column in cursor.description]
        return [column.type.dialect_impl(dialect).result_processor(dialect, code)
                for column, code in zip(self.columns, codes, strict=False)]

    def _executed(self):
        raw = self.db.session.connection().connection.driver_connection
        cursor = raw.cursor()
        if self.db.engine.dialect.name == "postgresql":
            cursor.execute(self.sql, self.params, prepare=True)
        else:
            cursor.execute(self.sql, self.params)
        return cursor

    def checkout(self) -> None:
        self.db.session.connection()

    def orm(self) -> tuple[Any, Any]:
        from webapp.services.match_cards import profile_with_cards

        return profile_with_cards(self.profile_id)

    def core(self) -> tuple[Any, Any]:
        row = self.db.session.connection().execute(self.statement,
                                                   {"id": self.profile_id}).first()
        return row, self.cards(self.profile_id, row[-5:])

    def driver(self) -> tuple[Any, Any]:
        row = self._executed().fetchone()
        return row, self.cards(self.profile_id, row[-5:])

    def driver_profile(self) -> tuple[Any, Any]:
        from sqlalchemy.orm import make_transient_to_detached

        row, cards = self.driver()
        profile = self.profile_class(**self._typed(row))
        make_transient_to_detached(profile)
        return self.db.session.merge(profile, load=False), cards

    def _typed(self, row) -> dict[str, Any]:
        """The driver's row as the profile's values by attribute, SQLAlchemy's result types
        applied (the cards' two columns after them are left out)."""
        return {key: value if process is None else process(value)
                for key, process, value in zip(self.keys, self.processors, row, strict=False)}

    def way(self, name: str) -> Callable[[], Any]:
        return getattr(self, name.replace("+", "_"))

    def values(self, name: str) -> tuple[dict[str, Any], Any]:
        """What the way read: the profile's values by attribute, and the cards."""
        with self.app.test_request_context():
            read, cards = self.way(name)()
            if name == "core":  # SQLAlchemy applied its result types
                return dict(zip(self.keys, tuple(read), strict=False)), cards
            if name == "driver":
                return self._typed(read), cards
            return {key: getattr(read, key) for key in self.keys}, cards

    def cpu_us(self, name: str, batch: int) -> float:
        """CPU microseconds a request of the way, each in a request context of its own."""
        way, context = self.way(name), self.app.test_request_context
        started = time.process_time()
        for _ in range(batch):
            with context():  # popped as served: teardowns, session removed
                way()
        return (time.process_time() - started) / batch * 1e6


def differing(reads: OwnerReads) -> list[str]:
    """Return the ways whose values differ from the ORM's (none, or the comparison is void)."""
    expected = reads.values("orm")
    return [name for name in WAYS[2:] if reads.values(name) != expected]


def main(argv: list[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    os.environ.update(OPENBLAS_NUM_THREADS="1", SECRET_KEY="owner-read-not-secret")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from webapp import create_app
    from webapp.services import accounts

    app = create_app()
    with app.app_context():
        profile_id = accounts.find_user_by_email("sme@demo.puente.test").profile.id
        from models import db

        database = db.engine.dialect.name
    reads = OwnerReads(app, profile_id)
    wrong = differing(reads)
    if wrong:
        raise SystemExit(f"these ways read other values than the ORM: {', '.join(wrong)}")
    for name in WAYS:
        reads.cpu_us(name, 20)  # warm: prepared statements, caches
    beyond: dict[str, list[float]] = {name: [] for name in WAYS}
    for round_ in range(args.rounds):
        order = WAYS if round_ % 2 == 0 else WAYS[::-1]
        cpu = {name: reads.cpu_us(name, args.batch) for name in order}
        for name in WAYS:
            beyond[name].append(cpu[name] - (0.0 if name == "checkout" else cpu["checkout"]))
    medians = {name: statistics.median(values) for name, values in beyond.items()}
    print(f"the owner's read of profile {profile_id} on {database}, {args.rounds} rounds of "
          f"{args.batch} requests a way; every way read the same values")
    print("CPU µs a request, median (checkout: the request context and its connection; "
          "the others beyond it)")
    for name in WAYS:
        share = "" if name == "checkout" else f"  {medians[name] / medians['orm']:6.0%}"
        print(f"  {name:<16}{medians[name]:8.0f}{share}")
    return medians


if __name__ == "__main__":
    main()
