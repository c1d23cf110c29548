"""ETag and If-Match for the versioned resources: profiles and introductions.

A resource's ETag is its row version, quoted (``"3"``); every change of the row bumps it.
``If-Match`` on a PATCH or DELETE names the version(s) the client read, and the use case
refuses with 412 when the row has moved on since (compared inside the write transaction, on
the locked row). No ``If-Match``, or ``If-Match: *``, accepts any version. Weak tags never
match (If-Match compares strongly), nor does a header that does not parse.
"""

from __future__ import annotations

from typing import Any

from flask import request

from webapp.api.base import ErrorSchema

ETAG_HEADER = {"ETag": {"description": "The resource's version; send it back in If-Match",
                        "schema": {"type": "string"}}}
IF_MATCH = {"in": "header", "name": "If-Match", "required": False,
            "schema": {"type": "string"},
            "description": "Refuse the change (412) unless the resource still has this ETag"}
STALE = {"schema": ErrorSchema, "description": "If-Match names a version that is not current"}


def etag(row: Any) -> dict[str, str]:
    """Return the ETag header of a versioned row."""
    return {"ETag": f'"{row.version}"'}


def if_match_versions() -> frozenset[int] | None:
    """Return the versions the request's If-Match accepts; None when it accepts any."""
    if not (request.headers.get("If-Match") or "").strip():
        return None
    header = request.if_match
    if header.star_tag:
        return None
    # An empty tag (If-Match: "") arrives as None, and a header that does not parse ('"3"x')
    # as no tags at all: either names no version, so none matches (not "any version").
    return frozenset(int(tag) for tag in header.as_set()
                     if tag and tag.isascii() and tag.isdigit())
