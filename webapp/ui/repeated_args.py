"""Query parameters a page reads once, given more than once: refused, never read as the first.

A page declares (:func:`reads_args`) the parameters it refuses itself when one is given twice
— its filters and ``?page=``, said next to their field or above the list like a bad value of
theirs, the list shown without them — and those it takes as lists (a multi-select). Any other
parameter given more than once (``?lang=``, ``?next=``, ``?report=``…, and every one of a form
post) is refused before the view runs: 422 naming it, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app, request

from webapp.errors import Problem, invalid_fields
from webapp.ui.views import bp

SAFE_METHODS = ("GET", "HEAD")


def reads_args(*shown: str, lists: Iterable[str] = ()) -> Callable[[Any], Any]:
    """Declare, on a view, the query parameters its page refuses itself when given more
    than once (``shown``: on a GET, next to their field or above the list) and those it
    takes as lists (``lists``: every value read)."""
    def declare(view):
        view.shown_args = frozenset(shown)
        view.list_args = frozenset(lists)
        return view

    return declare


@bp.before_request
def refuse_repeated_args() -> None:
    """Refuse, before the view, a query parameter given more than once that the page
    neither takes as a list nor refuses itself (:func:`reads_args`)."""
    repeated = {name for name, values in request.args.lists() if len(values) > 1}
    if not repeated:
        return
    view = current_app.view_functions.get(request.endpoint)
    repeated -= getattr(view, "list_args", frozenset())
    if request.method in SAFE_METHODS:
        repeated -= getattr(view, "shown_args", frozenset())
    if repeated:
        raise invalid_fields({name: Problem("repeated_parameter") for name in sorted(repeated)})
