"""A page's many URLs that differ only by an id, built once and filled in per item.

:func:`flask.url_for` walks the URL map on every call (several microseconds); the matches page
asked for three per card, sixty a page. :class:`IdUrl` builds the URL once with a placeholder
id and puts each card's id in its place.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from models.storable import MAX_ID

_PLACEHOLDER = str(MAX_ID)  # the largest id a route accepts: an <int:…> converter builds it


class IdUrl:
    """``url_for(endpoint, **{name: id}, **values)`` for any id, built once.

    The id is put in the URL's path only (a query-string value that happens to equal the
    placeholder is left alone); should the path not hold the placeholder exactly once, each
    call falls back to :func:`~flask.url_for`.
    """

    def __init__(self, endpoint: str, name: str, **values: Any) -> None:
        self._build = (endpoint, name, values)
        path, mark, query = url_for(endpoint, **{name: MAX_ID}, **values).partition("?")
        self._parts = path.split(_PLACEHOLDER) if path.count(_PLACEHOLDER) == 1 else None
        self._query = mark + query

    def __call__(self, item_id: int) -> str:
        """Return the URL for ``item_id``."""
        if self._parts is None:
            endpoint, name, values = self._build
            return url_for(endpoint, **{name: item_id}, **values)
        return f"{self._parts[0]}{int(item_id)}{self._parts[1]}{self._query}"
