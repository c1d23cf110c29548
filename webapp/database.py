"""Database wiring: SQLite pragmas and search folding, checks of idle pooled connections,
read-only requests ending with a commit on PostgreSQL, the migrations folder."""

import logging
from pathlib import Path
from time import monotonic

from flask import Flask, g, has_app_context
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

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
