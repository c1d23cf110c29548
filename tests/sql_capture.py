"""The SQL statements a block sends to the database, for tests of how many round trips a
request makes and what each reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements_sent(engine) -> Iterator[list[str]]:
    """Collect the statements sent through ``engine`` inside the block, in order."""
    sent: list[str] = []

    def seen(conn, cursor, statement, *args):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", seen)
