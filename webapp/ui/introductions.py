"""Introductions inbox: received, sent, accepted (with contacts) and past introductions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from models import Introduction
from models.introductions import INTRODUCTION_STATES, OPEN_STATES
from webapp import policy
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PuenteError,
    record_access_denied,
)
from webapp.presenters import present_introduction
from webapp.services import introduction_states as states
from webapp.services import introductions as service
from webapp.services.outcome_steps import LADDER_STATES
from webapp.ui.helpers import page_number, refusal_text
from webapp.ui.introduction_forms import (
    DECLINE_REASON_LABELS,
    INTRO_KIND_LABELS,
    STATE_LABELS,
    ActionForm,
    DeclineForm,
    FeedbackForm,
)
from webapp.ui.outcomes import OutcomeForm, ladder_entry
from webapp.ui.views import bp

# Open introductions are few (capacities and the open-request limit bound them): all shown.
OPEN_LIMIT = 500
PAST_PAGE = 20  # closed introductions a page
CLOSED_STATES = tuple(s for s in INTRODUCTION_STATES if s not in OPEN_STATES)
ACTION_FORMS = {"accept": ActionForm, "decline": DeclineForm, "withdraw": ActionForm,
                "turn_down": ActionForm, "complete": ActionForm, "feedback": FeedbackForm}
# "program": introductions the program made, waiting for the target's answer (both see them).
SECTIONS = ("received", "program", "sent", "accepted", "past")


def inbox_entry(intro: Introduction) -> dict[str, Any]:
    """Return what the inbox shows of an introduction: the presenter's view, plus its section."""
    shown = present_introduction(current_user, intro)  # contacts: accepted, parties only
    mine_sent = policy.is_owner(current_user, intro.requester)
    own_id = (intro.requester if mine_sent else intro.target).id
    shown.update(
        other=shown["target"] if mine_sent else shown["requester"], sent=mine_sent,
        state_label=STATE_LABELS.get(intro.state, intro.state),
        kind_label=INTRO_KIND_LABELS.get(intro.kind, intro.kind),
        reason_label=DECLINE_REASON_LABELS.get(intro.decline_reason_code or ""),
        rated=any(f.profile_id == own_id for f in intro.feedback),
        section=section_of(intro.state, mine_sent, intro.by_program),
        outcomes=ladder_entry(intro) if intro.state in LADDER_STATES else None)
    return shown


def section_of(state: str, sent: bool, by_program: bool = False) -> str:
    """Return the inbox section of an introduction in a state, sent or received (or made
    by the program)."""
    if state == "requested":
        if by_program:
            return "program"
        return "sent" if sent else "received"
    return "accepted" if state == "accepted" else "past"


def inbox(failed: tuple[int, str, FlaskForm] | None = None, status: int = 200):
    """Render the inbox; a form that failed validation is shown again with its errors."""
    open_ = service.list_introductions(current_user, {"states": OPEN_STATES}, 1, OPEN_LIMIT)
    past = service.list_introductions(current_user, {"states": CLOSED_STATES}, page_number(),
                                      PAST_PAGE)
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    for intro in [*open_.items, *past.items]:
        entry = inbox_entry(intro)
        sections[entry["section"]].append(entry)
    forms = {name: form() for name, form in ACTION_FORMS.items()}
    forms["outcome"] = OutcomeForm()
    return render_template("introductions.html", sections=sections, forms=forms,
                           failed=failed, page=past.page,
                           pages=max(1, -(-past.total // PAST_PAGE))), status


@bp.get("/introductions")
@login_required
def introductions():
    """Show the signed-in user's introductions."""
    if not policy.has_own_profile(current_user):
        return redirect(url_for("ui.dashboard"))
    if current_user.profile is None:
        flash(_("Create your profile first: introductions are between profiles."))
        return redirect(url_for("ui.my_profile"))
    return inbox()


@bp.post("/introductions/<int:intro_id>/<action>")
@login_required
def introduction_action(intro_id: int, action: str):
    """Accept, decline, withdraw, complete or rate an introduction; errors never write."""
    if action not in ACTION_FORMS:
        abort(404)
    form = ACTION_FORMS[action]()
    if not form.validate_on_submit():
        return inbox((intro_id, action, form), 422)
    try:
        apply_action(intro_id, action, form)
    except NotFound:
        abort(404)
    except (Conflict, Forbidden, InvalidInput) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        flash(refusal_message(err), "error")
        return redirect(url_for("ui.introductions"))
    flash(DONE_MESSAGES[action]())
    return redirect(url_for("ui.introductions"))


def apply_action(intro_id: int, action: str, form: FlaskForm) -> None:
    """Call the use case of the action with the form's values."""
    if action == "decline":
        states.decline(current_user, intro_id, form.reason_code.data,
                       (form.reason_text.data or "").strip())
    elif action == "feedback":
        service.add_feedback(current_user, intro_id, int(form.rating.data),
                             (form.comment.data or "").strip())
    elif action == "turn_down":  # a program introduction, declined by its requester
        states.withdraw(current_user, intro_id)
    else:
        getattr(states, action)(current_user, intro_id)


DONE_MESSAGES = {
    "accept": lambda: _("Introduction accepted. You can now see each other's contact details."),
    "decline": lambda: _("Introduction declined. The requester will be told."),
    "withdraw": lambda: _("Request withdrawn."),
    "turn_down": lambda: _("Introduction declined. The other side will be told."),
    "complete": lambda: _("Introduction marked completed."),
    "feedback": lambda: _("Thank you for your feedback."),
}


# Refusals of a move worded for the inbox's reader, by code.
DONE_ALREADY = ("feedback_given", "review_given")
NO_CAPACITY = ("mentor_full_to_accept", "mentor_no_capacity")


def own_capacity_refused(err: PuenteError) -> bool:
    """Tell whether the mentor found full is the reader, not the other side."""
    profile = current_user.profile
    return (profile is not None and profile.kind == "mentor"
            and err.params.get("id", profile.id) == profile.id)


def refusal_message(err: PuenteError) -> str:
    """Return the reader's-language message of a refused move."""
    if isinstance(err, Forbidden):
        return _("You cannot do this on this introduction.")
    if err.code in DONE_ALREADY:
        return _("You have done this already.")
    if err.code in NO_CAPACITY:
        if own_capacity_refused(err):
            return _("You have no capacity left: complete an introduction or raise your "
                     "capacity.")
        return _("This mentor has no capacity left right now.")  # read by the other side
    if isinstance(err, InvalidInput):
        return refusal_text(err)
    return _("This is no longer possible: the introduction has changed. See its state below.")
