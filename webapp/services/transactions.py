"""Write transactions whose checks and writes hold together on SQLite and PostgreSQL.

PostgreSQL (READ COMMITTED): an ``UPDATE … WHERE`` that meets a row another transaction is
changing waits for it to finish, then evaluates its WHERE clause again on the committed row.
So ``UPDATE profiles SET active_count = active_count + 1 WHERE id = :id AND active_count <
capacity`` can never overshoot, and its row count tells whether it applied. Rows that a use
case reads to decide (a requester's open requests) are locked with ``FOR NO KEY UPDATE``,
which, unlike ``FOR UPDATE``, does not block inserts of rows referring to them.

SQLite has one writer at a time, and ``FOR UPDATE`` is silently ignored. Python's sqlite3
module (in its default transaction mode) sends a deferred ``BEGIN`` just before the first
INSERT/UPDATE/DELETE, so the reads a use case makes first happen outside its transaction and
may be stale by the time it writes; and a transaction that holds a read snapshot and then
writes after another writer committed fails at once with "database is locked"
(SQLITE_BUSY_SNAPSHOT in WAL mode: the busy timeout cannot help). ``begin_write`` therefore
opens the use case's transaction with ``BEGIN IMMEDIATE``: it takes the write lock up front,
waiting up to the connection's busy timeout, and the use case then reads and writes one
consistent database. Readers are never blocked (WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from models import db
from webapp.errors import Conflict, PuenteError


def begin_write() -> None:
    """Start the session's transaction as a writer (``BEGIN IMMEDIATE`` on SQLite)."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    if not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")
        db.session.expire_all()  # anything read before now is re-read inside the transaction


@contextmanager
def write_transaction(
    on_violation: str | PuenteError = "The request conflicts with a concurrent change.",
) -> Iterator[None]:
    """Run a use case as one write transaction: commit at the end, roll back on any error.

    A constraint violation (a concurrent duplicate, a CHECK) raises ``on_violation``: the
    error given, or a Conflict with the message given.
    """
    begin_write()
    try:
        yield
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        if isinstance(on_violation, str):
            on_violation = Conflict(on_violation)
        raise on_violation from err
    except BaseException:
        db.session.rollback()
        raise
