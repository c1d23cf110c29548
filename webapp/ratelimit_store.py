"""A rate-limit store that every worker process on one host shares: a small SQLite file.

Flask-Limiter's default store is each process's memory, so with two gunicorn workers each
counted alone and a limit of 10 allowed 20. Without Redis (``REDIS_URL``), the counters live
in a SQLite file of their own (``instance/ratelimits.sqlite3`` unless configured): every hit
is one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement, so concurrent workers
never lose a count. Why a file and not the service's database: it needs no migration, works
the same whether the service runs on SQLite or PostgreSQL, does not take the database's
write lock on SQLite for every sign-in attempt, and keeps counters (keyed by hashed
addresses) out of the data people can export. It is shared by the processes of one host
only; several hosts need Redis.

Only the fixed-window strategy (Flask-Limiter's default) is supported.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import Storage

SCHEME = "puente-sqlite"
SCHEMA = ("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, "
          "count INTEGER NOT NULL, expires_at REAL NOT NULL)")
HIT = """
INSERT INTO counters (key, count, expires_at) VALUES (:key, :amount, :expires_at)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN counters.expires_at <= :now THEN :amount
                 ELSE counters.count + :amount END,
    expires_at = CASE WHEN counters.expires_at <= :now THEN :expires_at
                      ELSE counters.expires_at END
RETURNING count
"""
PURGE_EVERY = 500  # hits between two deletions of expired counters


class SQLiteFileStorage(Storage):
    """Fixed-window counters in a SQLite file: ``puente-sqlite:///absolute/path.sqlite3``."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.split("://", 1)[1]
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._hits = 0
        self._connection().execute(SCHEMA)

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        """Return this thread's connection (autocommit: each statement is its transaction)."""
        connection, pid = getattr(self._local, "connection", (None, None))
        if connection is None or pid != os.getpid():  # never share one across a fork
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection, os.getpid()
        return connection

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        """Count ``amount`` hits on ``key`` and return the window's total."""
        now = time.time()
        connection = self._connection()
        count = connection.execute(HIT, {"key": key, "amount": amount, "now": now,
                                         "expires_at": now + expiry}).fetchone()[0]
        self._hits += 1
        if self._hits % PURGE_EVERY == 0:
            connection.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        return count

    def get(self, key: str) -> int:
        """Return the hits counted on ``key`` in its current window."""
        row = self._connection().execute(
            "SELECT count FROM counters WHERE key = ? AND expires_at > ?",
            (key, time.time())).fetchone()
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        """Return when the window of ``key`` ends (now, when it has none)."""
        now = time.time()
        row = self._connection().execute(
            "SELECT expires_at FROM counters WHERE key = ? AND expires_at > ?",
            (key, now)).fetchone()
        return row[0] if row else now

    def check(self) -> bool:
        """Tell whether the file can be read."""
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; return how many there were."""
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Forget the counter of ``key``."""
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
