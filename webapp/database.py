"""Database wiring: SQLite pragmas, checks of idle pooled connections, the migrations folder."""

from pathlib import Path
from time import monotonic

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys and let readers and a writer work at once on SQLite."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
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


def init_app(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    from webapp.extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
        with app.app_context():
            for engine in db.engines.values():
                check_idle_connections(engine, app.config["PUENTE_DB_PING_IDLE_MS"] / 1000)
