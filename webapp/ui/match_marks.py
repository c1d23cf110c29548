"""Save, unsave, hide and unhide a match from the matches pages, and the saved matches page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import policy
from webapp.errors import Forbidden, NotFound
from webapp.i18n import current_locale
from webapp.services import match_marks
from webapp.services.matching import explain_for
from webapp.ui.helpers import page_number, page_refusal
from webapp.ui.homes import own_profile
from webapp.ui.introduction_forms import ActionForm
from webapp.ui.matches import MATCHES_SHOWN, filter_args, match_rows
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp

# verb in the URL -> (mark, set it or clear it)
MOVES = {"save": (match_marks.SAVED, True), "unsave": (match_marks.SAVED, False),
         "hide": (match_marks.HIDDEN, True), "unhide": (match_marks.HIDDEN, False)}


def _own_profile():
    """Return the user's own profile, or None for staff and users without one yet."""
    return current_user.profile if policy.has_own_profile(current_user) else None


def _elsewhere():
    """Send staff to the profile list, and an owner without a profile to the editor."""
    return redirect(url_for("ui.my_profile" if policy.has_own_profile(current_user)
                            else "ui.profiles"))


@bp.route("/matches/saved")
@reads_args("page")
@login_required
def saved_matches():
    """Show the matches the user's profile saved, most recently saved first."""
    profile, cards = own_profile() if policy.has_own_profile(current_user) else (None, None)
    if profile is None:
        return _elsewhere()
    page, page_error = page_number(), page_refusal()  # a refused page: the first, and why
    saved, more = match_marks.saved_page(current_user, profile.id, page, MATCHES_SHOWN)
    ranked = explain_for(current_user, profile, saved)
    here = {k: v for k, v in saved_args().items() if not (k == "page" and page_error)}
    args = {k: v for k, v in here.items() if k != "page"}
    pages = {"number": page,
             "previous": url_for("ui.saved_matches", **args, page=page - 1) if page > 1 else None,
             "next": url_for("ui.saved_matches", **args, page=page + 1) if more else None}
    return render_template("matches.html", profile=profile, filters=None, pages=pages,
                           rows=match_rows(ranked, current_locale(), cards, here),
                           request_form=None, view="saved", undo=None,
                           here=here, page_error=page_error), 422 if page_error else 200


def saved_args() -> dict[str, str]:
    """Return the saved list's query-string arguments kept across a form post: its page and
    language."""
    return {k: v for k, v in filter_args().items() if k in ("page", "lang")}


@bp.route("/matches/<int:candidate_id>/<any(save, unsave, hide, unhide):verb>",
          methods=["POST"])
@login_required
def mark_match(candidate_id: int, verb: str):
    """Save, unsave, hide or unhide a match, then go back to the list it was on."""
    profile = _own_profile()
    if profile is None:
        return _elsewhere()
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."))
        return _back()
    mark, on = MOVES[verb]
    try:
        if on:
            match_marks.set_mark(current_user, profile, candidate_id, mark)
        else:
            match_marks.clear_mark(current_user, profile, candidate_id, mark)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    if verb == "hide":
        return redirect(url_for("ui.matches", **filter_args(), hidden=candidate_id), 303)
    return _back(candidate_id if verb in ("save", "unsave") else None)


def _back(anchor: int | None = None):
    """Redirect to the list the form was posted from (its filters and page kept)."""
    endpoint = "ui.saved_matches" if request.form.get("view") == "saved" else "ui.matches"
    args = saved_args() if endpoint == "ui.saved_matches" else filter_args()
    fragment = f"match-{anchor}" if anchor else None
    return redirect(url_for(endpoint, **args, _anchor=fragment), 303)
