"""Helpers of the page tests: profile form data and what a page shows."""

from __future__ import annotations

import html as htmllib
import re

from tests.factories import PAYLOADS


def form_data(kind: str, csrf: str, **changes) -> dict:
    """Return the editor's form fields for a valid profile of a kind, some changed."""
    data = {k: v for k, v in PAYLOADS[kind].items() if v is not None}
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    if data.pop("active", True):
        data["active"] = "y"
    return {**data, "csrf_token": csrf}


def field_errors(html: str, field: str) -> list[str]:
    """Return the error messages shown next to a field (one element; several messages each
    in a span of it)."""
    found = re.findall(rf'<p class="error" id="{field}-error"[^>]*>(.*?)</p>', html, re.S)
    messages = [m for shown in found for m in (re.findall(r"<span>([^<]*)</span>", shown)
                                               or [shown])]
    return [htmllib.unescape(message) for message in messages]


def text_of(html: str) -> str:
    """Return the page's visible text, roughly: tags removed, spaces collapsed."""
    body = re.sub(r"(?s)<(script|style|datalist)\b.*?</\1>", " ", html)
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))
