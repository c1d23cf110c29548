"""``/introductions/<id>``: the address e-mails and notices give for an introduction.

It opens the page where the reader acts on it — the inbox for its parties, the dashboard for
staff — at the page of the list that holds it (past introductions come 20 a page in the
inbox, all 50 a page on the dashboard; open ones are on every inbox page) and at its entry
(its anchor), after checking the reader may see it (anyone else gets the 404 an unknown id
gets), and marks the reader's notices about it read. After signing in, the login page brings
the reader back here.
"""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_login import current_user, login_required

from webapp import policy
from webapp.errors import NotFound
from webapp.services import inbox
from webapp.services import introductions as service
from webapp.ui import dashboard
from webapp.ui.introductions import inbox_page_of
from webapp.ui.views import bp


@bp.get("/introductions/<int:intro_id>")
@login_required
def introduction_link(intro_id: int):
    """Open the page that shows the introduction to the reader."""
    try:
        intro = service.get_introduction(current_user, intro_id)
    except NotFound:
        abort(404)
    inbox.read_about(current_user, intro.id)  # opened here, as its notice would open it
    if policy.has_own_profile(current_user):
        endpoint, page = "ui.introductions", inbox_page_of(intro)
    else:  # the dashboard lists every introduction, unfiltered, newest first
        before = inbox.listed_before(current_user, intro)
        endpoint, page = "ui.dashboard", before // dashboard.DASHBOARD_SIZE + 1
    args = {"page": page} if page > 1 else {}
    return redirect(url_for(endpoint, **args, _anchor=f"introduction-{intro.id}"))
