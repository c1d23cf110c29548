"""Each worker's short-lived memory of who a bearer token or a session names.

Authenticating every API request by a query (the token's row joined to its user) cost a round
trip and an ORM load per request — about a tenth of a ranking request. A worker therefore
keeps, per token hash (and per session user id), the account's column values for at most
``PUENTE_ACCOUNT_CACHE_MS`` (default 250, the same bound as a profile change reaching the
rankings; 0 turns the cache off), and hands each request its own copy attached to the
request's session without SQL (``Session.merge(load=False)``), so relationships still load
as usual.

What this worker writes itself is never served stale: any flush or statement that changes a
user or a token (a revocation, a deactivation, a role or password change, a sign-out
everywhere) empties the cache at once. A change made through another worker or host reaches
this one within the cache's lifetime.

An account whose address is not verified yet is never kept: it is read afresh on every
request, so that following the e-mailed link (through any worker or host) counts on the very
next request everywhere — introductions allowed, ``email_verified`` in ``/api/v1/me``, the
account page. Such accounts are few and short-lived; the verified ones, nearly every request,
keep the cache. (The language is the browser's cookie, not the cached preference: see
``webapp.i18n.request_language``.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import TextClause, event
from sqlalchemy.orm import Session, make_transient_to_detached

from models import ApiToken, User, db

_MAX_ENTRIES = 4096
KEEPS_ENTRIES = {"puente_keeps_accounts": True}
"""Execution options of a write that changes nothing the cache holds (a token's last use)."""
_WATCHED = (User, ApiToken)
_WATCHED_TABLES = frozenset(model.__tablename__ for model in _WATCHED)


class _Cache:
    """One app's entries (per worker process: a forked worker starts with its own)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[Hashable, tuple[float, dict[str, Any]]] = {}
        self.generation = 0  # bumped on every clear: a load racing a clear is not stored


def _cache() -> _Cache:
    return current_app.extensions.setdefault("puente.accounts", _Cache())


def lifetime_s() -> float:
    """Return how long an entry lives in this app (0: the cache is off)."""
    return max(current_app.config["PUENTE_ACCOUNT_CACHE_MS"], 0) / 1000


def generation() -> int:
    """Return the cache's generation; pass it to :func:`put` to store a load made after it."""
    return _cache().generation


def get(key: Hashable) -> User | None:
    """Return the cached account of the key, attached to this request's session, or None."""
    ttl = lifetime_s()
    if ttl <= 0:
        return None
    cache = _cache()
    with cache.lock:
        hit = cache.entries.get(key)
    if hit is None or time.monotonic() - hit[0] >= ttl:
        return None
    user = User(**hit[1])
    make_transient_to_detached(user)  # as if just loaded: no pending change, no SQL
    return db.session.merge(user, load=False)


def put(key: Hashable, user: User, loaded_at: int) -> None:
    """Remember the user's column values under the key (unless the cache was cleared since
    ``loaded_at``, a :func:`generation`, or the account's address is not verified yet)."""
    if lifetime_s() <= 0 or user.email_verified_at is None:
        return  # an unverified account is read afresh: its verification counts at once
    values = {column.key: getattr(user, column.key) for column in User.__table__.columns}
    cache = _cache()
    with cache.lock:
        if cache.generation != loaded_at:
            return
        if len(cache.entries) >= _MAX_ENTRIES:
            cache.entries.clear()
        cache.entries[key] = (time.monotonic(), values)


def clear() -> None:
    """Forget every entry of the current app (an account or token was written)."""
    if not has_app_context():
        return
    cache = _cache()
    with cache.lock:
        cache.entries.clear()
        cache.generation += 1


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if any(isinstance(obj, _WATCHED)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        clear()


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state) -> None:
    statement = state.statement
    if state.execution_options.get("puente_keeps_accounts"):
        return
    if state.is_update or state.is_delete:
        if getattr(getattr(statement, "table", None), "name", None) in _WATCHED_TABLES:
            clear()
    elif isinstance(statement, TextClause):  # hand-written SQL: clear when it may write one
        sql = statement.text.lower()
        if any(verb in sql for verb in ("update", "delete")) and any(
                table in sql for table in _WATCHED_TABLES):
            clear()
