"""Database wiring: SQLite pragmas and search folding, checks of idle pooled connections,
a request's reads in autocommit and read-only requests ending with a commit on PostgreSQL,
the migrations folder."""

import logging
from pathlib import Path
from time import monotonic
from weakref import WeakSet

from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine

from webapp.text_search import SQLITE_FUNCTION, row_matches

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys and let readers and a writer work at once on SQLite; give it
    the search's folding of accents, which its own ``lower`` lacks (:mod:`webapp.text_search`)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.create_function(SQLITE_FUNCTION, -1, row_matches, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


IDLE_SINCE = "puente.idle_since"


def check_idle_connections(engine: Engine, idle_s: float) -> None:
    """Check a pooled connection before use only when it sat idle ``idle_s`` or longer.

    SQLAlchemy's ``pool_pre_ping`` checks it before every use: a round trip that cost about
    6% of the profile list's CPU (README, Serving speed), though a busy worker takes back the
    connection it returned milliseconds ago. A connection the server dropped while the pool
    held it (a restart, a firewall's idle timeout) has sat idle; one dropped within
    ``idle_s`` of its last use fails its request (503) and the pool is renewed. A failed
    check makes the pool connect anew (``DisconnectionError``), as ``pool_pre_ping`` does.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection, record) -> None:
        record.info[IDLE_SINCE] = monotonic()

    @event.listens_for(engine, "checkout")
    def _check_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop(IDLE_SINCE, None)
        if since is None or monotonic() - since < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as err:
            if engine.dialect.is_disconnect(err, dbapi_connection, None):
                raise exc.DisconnectionError() from err
            raise


WROTE = "puente_wrote"
log = logging.getLogger(__name__)


def end_reads_with_commit(app: Flask, engine: Engine) -> None:
    """End a request's still-open transaction with COMMIT when the request wrote nothing.

    psycopg clears its prepared statements on every ROLLBACK (a rolled-back transaction may
    have dropped what they refer to), and a request's session ended with one: no statement
    was ever run the five times psycopg waits before preparing it, so PostgreSQL planned
    every query of every request again — 0.3 to 0.75 ms of its CPU each (the profile read
    by id, the marks, the introductions), most of a match request's database time. Ending a
    read-only transaction with COMMIT instead changes nothing in the database and keeps them.

    A request wrote if any statement it sent in its app context was not a SELECT (use cases
    write in ``write_transaction``, which commits or rolls back itself; views never do): then,
    on an error, or with unflushed ORM changes, the session rolls back as before.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(_conn, _cursor, statement, _params, _context, _executemany) -> None:
        if has_app_context() and not statement.lstrip()[:6].upper() == "SELECT":
            setattr(g, WROTE, True)

    @app.teardown_appcontext  # runs before Flask-SQLAlchemy's removal (registered earlier)
    def _commit_reads(error: BaseException | None) -> None:
        from webapp.extensions import db

        if error is not None or g.get(WROTE) or not db.session.registry.has():
            return
        session = db.session()
        if (not session.in_transaction()
                or session.new or session.dirty or session.deleted):
            return
        # Objects read in the context stay readable after it, as a session's close left them
        # (a commit would expire them, and a detached expired object cannot be read).
        session.expire_on_commit = False
        try:
            session.commit()
        except exc.SQLAlchemyError:
            log.warning("ending a read-only transaction failed", exc_info=True)
            session.rollback()


READS_IN_AUTOCOMMIT = "puente.reads_in_autocommit"
_READING_ENGINES: WeakSet[Engine] = WeakSet()  # engines whose listeners end the autocommit
_LOCKS = (" FOR ", "ADVISORY")  # FOR UPDATE / NO KEY UPDATE / SHARE, pg_advisory_*: hold locks


def reads_in_autocommit(engine: Engine) -> None:
    """Run a request's reads on PostgreSQL in autocommit, until it starts to write.

    A read-only request sent BEGIN before its first statement and COMMIT after its last: two
    round trips of about five, for nothing its SELECTs gain from a transaction under READ
    COMMITTED (each statement reads its own snapshot either way). So the request session's
    connection starts in autocommit (psycopg sends no BEGIN; its COMMIT and ROLLBACK then send
    nothing and keep the prepared statements). Before the first statement that is not a plain
    SELECT — a write, ``SELECT … FOR UPDATE`` or an advisory lock, a server-side cursor — and
    when a use case begins (:func:`start_transaction`, from ``begin_write``), the connection
    leaves autocommit, so psycopg begins a transaction with that statement and every write is
    in one as before; it stays in one until the session lets the connection go, and goes back
    to the pool as it came (not in autocommit). Only the request session of a request
    (``db.session`` in a request context): commands, jobs and ``separate_transaction`` are as
    they were.
    """

    _READING_ENGINES.add(engine)

    @event.listens_for(engine, "before_cursor_execute")
    def _transaction_for_writes(conn, _cursor, statement, _params, context, _executemany) -> None:
        if not conn.connection.info.get(READS_IN_AUTOCOMMIT):
            return
        head = statement.lstrip().upper()
        if (head.startswith("SELECT") and not any(lock in head for lock in _LOCKS)
                and not (context is not None and context.execution_options.get("stream_results"))):
            return
        start_transaction(conn)

    @event.listens_for(engine, "checkin")
    def _back_to_transactions(dbapi_connection, record) -> None:
        if not record.info.pop(READS_IN_AUTOCOMMIT, False) or dbapi_connection is None:
            return
        try:
            if dbapi_connection.autocommit:  # idle: the pool's reset ended any transaction
                dbapi_connection.autocommit = False
        except engine.dialect.loaded_dbapi.Error:  # a broken connection is not kept
            record.invalidate()


def _autocommit_for_reads(session, _transaction, connection: Connection) -> None:
    """The request session's new transaction starts its reads in autocommit (see
    :func:`reads_in_autocommit`)."""
    if (not has_request_context() or connection.engine not in _READING_ENGINES
            or not current_app.config["PUENTE_DB_AUTOCOMMIT_READS"]):
        return
    raw = connection.connection.driver_connection
    if not raw.autocommit and raw.info.transaction_status.name == "IDLE":
        raw.autocommit = True
        connection.connection.info[READS_IN_AUTOCOMMIT] = True


def start_transaction(connection: Connection) -> None:
    """Make the connection's next statement begin a transaction, if its reads ran in
    autocommit (:func:`reads_in_autocommit`); otherwise it is in one already."""
    if connection.connection.info.get(READS_IN_AUTOCOMMIT):
        raw = connection.connection.driver_connection
        if raw.autocommit:
            raw.autocommit = False


def init_app(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    from webapp.extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    with app.app_context():
        for engine in db.engines.values():
            if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
                check_idle_connections(engine, app.config["PUENTE_DB_PING_IDLE_MS"] / 1000)
            if engine.dialect.name == "postgresql" and app.config["PUENTE_DB_COMMIT_READS"]:
                end_reads_with_commit(app, engine)
            if engine.dialect.name == "postgresql" and app.config["PUENTE_DB_AUTOCOMMIT_READS"]:
                reads_in_autocommit(engine)
    if not event.contains(db.session, "after_begin", _autocommit_for_reads):
        event.listen(db.session, "after_begin", _autocommit_for_reads)
