"""Memos kept per app (each worker's app, each test's app): a function's last results, keyed
by its arguments, which must be everything the result depends on beyond the app."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def app_memo(key: str, maxsize: int, function: Callable[..., T]) -> Callable[..., T]:
    """Return the current app's memo of ``function`` (an ``lru_cache`` of ``maxsize``
    results), kept in ``app.extensions`` under ``key``."""
    memo = current_app.extensions.get(key)
    if memo is None:
        memo = current_app.extensions.setdefault(key, lru_cache(maxsize=maxsize)(function))
    return memo
