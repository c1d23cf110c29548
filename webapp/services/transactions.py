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

On PostgreSQL a request's reads run in autocommit until it writes (:mod:`webapp.database`);
``begin_write`` makes the use case's statements, reads included, one transaction again.

Every mutating use case runs in ``write_transaction``; views never commit or roll back. A use
case that edits a row it read first takes it with ``lock_row`` (``SELECT … FOR NO KEY UPDATE``
on PostgreSQL, re-read fresh), so two edits of one row run one after the other, and the
second one sees the first's result. Rows with a version column (profiles, introductions) are
also version-checked by the ORM on every UPDATE and DELETE; a write that meets a row changed
or deleted meanwhile, or a PostgreSQL deadlock, is refused as a Conflict (409), never a 500.
A write that must survive the request's own transaction or stay out of it (an audit entry for
a refusal, the exposure log of a ranking) goes through ``separate_transaction``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from models import db
from webapp.database import start_transaction
from webapp.errors import Conflict, PreconditionFailed, PuenteError

Row = TypeVar("Row")
CHANGED_MEANWHILE = "changed_meanwhile"
# PostgreSQL: deadlock detected, serialization failure — the transaction lost a race.
RACE_SQLSTATES = ("40P01", "40001")


def begin_write() -> None:
    """Start the session's transaction as a writer: on PostgreSQL the use case's reads and
    writes are one transaction even if the request read in autocommit before
    (:func:`webapp.database.start_transaction`); ``BEGIN IMMEDIATE`` on SQLite."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        start_transaction(connection)
        return
    raw = connection.connection.driver_connection
    if not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")
        db.session.expire_all()  # anything read before now is re-read inside the transaction


class RefuseAfterCommit(Exception):
    """Raised in a use case to commit what it wrote, then refuse with ``refusal``: the change
    that made the use case impossible stands (a request found past its expiry is expired)."""

    def __init__(self, refusal: PuenteError):
        super().__init__(refusal.code)
        self.refusal = refusal


@contextmanager
def write_transaction(
    on_violation: str | PuenteError = "concurrent_change",
) -> Iterator[None]:
    """Run a use case as one write transaction: commit at the end, roll back on any error
    (except :class:`RefuseAfterCommit`, which commits and then raises its refusal).

    A constraint violation (a concurrent duplicate, a CHECK) raises ``on_violation``: the
    error given, or a Conflict with the refusal code given.
    """
    begin_write()
    refusal = None
    try:
        try:
            yield
        except RefuseAfterCommit as signal:
            refusal = signal.refusal
        db.session.commit()
    except IntegrityError as err:
        db.session.rollback()
        if isinstance(on_violation, str):
            on_violation = Conflict(on_violation)
        raise on_violation from err
    except (StaleDataError, ObjectDeletedError) as err:
        db.session.rollback()
        raise Conflict(CHANGED_MEANWHILE) from err
    except DBAPIError as err:
        db.session.rollback()
        if getattr(err.orig, "sqlstate", None) in RACE_SQLSTATES:
            raise Conflict(CHANGED_MEANWHILE) from err
        raise
    except BaseException:
        db.session.rollback()
        raise
    if refusal is not None:
        raise refusal


def lock_row(model: type[Row], row_id: int) -> Row | None:
    """Return the row with this id, re-read and locked until the transaction ends; or None.

    ``FOR NO KEY UPDATE`` on PostgreSQL: other writers of the row wait, inserts of rows that
    refer to it do not. SQLite has no row locks: ``begin_write`` already holds the database.
    """
    return db.session.scalars(
        db.select(model).where(model.id == row_id).with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).one_or_none()


def check_version(row, if_match: Collection[int] | None) -> None:
    """Refuse (PreconditionFailed) when the row's version is not one the client accepts.

    ``if_match`` is None when the client named no version: then any version will do.
    """
    if if_match is not None and row.version not in if_match:
        what = type(row).__tablename__.removesuffix("s")
        raise PreconditionFailed("stale_version", what=what, version=row.version)


@contextmanager
def separate_transaction() -> Iterator[Session]:
    """Run a short write in a session of its own: it commits (or rolls back) on its own,
    whatever becomes of the request's transaction, and never commits or ends that one."""
    with Session(db.engine) as session, session.begin():
        yield session
