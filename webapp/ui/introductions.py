"""Introductions inbox: received, sent, accepted (with contacts) and past introductions, and
every form posted on it — moves, feedback, outcome steps. A form refused for its input comes
back as it was typed, each error next to its field, on the page that holds its introduction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from models import Introduction, utcnow
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
from webapp.services import inbox as notices
from webapp.services import introduction_states as states
from webapp.services import introductions as service
from webapp.services.calendar_invites import zone_of
from webapp.services.outcome_steps import LADDER_STATES
from webapp.services.privacy import PARTY_LEFT
from webapp.ui import outcomes
from webapp.ui.helpers import page_number, page_refusal, refusal_text
from webapp.ui.introduction_forms import (
    DECLINE_REASON_LABELS,
    INTRO_KIND_LABELS,
    NOTHING_REFUSED,
    STATE_LABELS,
    ActionForm,
    DeclineForm,
    FeedbackForm,
    Refused,
    refused_form,
)
from webapp.ui.outcomes import OutcomeForm, ladder_entry
from webapp.ui.repeated_args import reads_args
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
        state_label=STATE_LABELS.get(state_shown(intro, shown["state"]), shown["state"]),
        kind_label=INTRO_KIND_LABELS.get(intro.kind, intro.kind),
        reason_label=DECLINE_REASON_LABELS.get(intro.decline_reason_code or ""),
        rated=any(f.profile_id == own_id for f in intro.feedback),
        section=section_of(shown["state"], mine_sent, intro.by_program),
        outcomes=ladder_entry(intro) if intro.state in LADDER_STATES else None)
    return shown


def state_shown(intro: Introduction, state: str) -> str:
    """Return the state an introduction is shown in (``state``: the one it reads in now, a
    request past its expiry expired): a program's introduction its SME turned down (the
    ``withdraw`` move) was declined, not a request withdrawn — the SME never asked; a request
    Puente closed because its target left was not withdrawn by its requester either."""
    if state == "withdrawn" and intro.decline_reason_code == PARTY_LEFT:
        return PARTY_LEFT
    return "declined" if intro.by_program and state == "withdrawn" else state


def section_of(state: str, sent: bool, by_program: bool = False) -> str:
    """Return the inbox section of an introduction in a state, sent or received (or made
    by the program)."""
    if state == "requested":
        if by_program:
            return "program"
        return "sent" if sent else "received"
    return "accepted" if state == "accepted" else "past"


def inbox(refused: Refused = NOTHING_REFUSED, status: int = 200):
    """Render the inbox; a form that was refused is shown again as typed, with its errors,
    on the page of past introductions that holds it (as the prompts' ``?report=<id>``)."""
    open_ = service.list_introductions(current_user, {"states": OPEN_STATES}, 1, OPEN_LIMIT)
    past = service.list_introductions(current_user, {"states": CLOSED_STATES},
                                      shown_page(refused.intro_id or report_asked()), PAST_PAGE)
    sections: dict[str, list] = {name: [] for name in SECTIONS}
    for intro in [*open_.items, *past.items]:
        entry = inbox_entry(intro)
        sections[entry["section"]].append(entry)
    forms = {name: form() for name, form in ACTION_FORMS.items()}
    forms["outcome"] = OutcomeForm()
    page_error = page_refusal()  # the first page of past ones is shown, and why
    own = current_user.profile  # days named as where the reader is, as its notifications
    return render_template("introductions.html", sections=sections, forms=forms,
                           zone=zone_of(own) if own is not None else "UTC",
                           refused=refused, page=past.page, page_error=page_error,
                           pages=max(1, -(-past.total // PAST_PAGE))), (
        422 if page_error and status == 200 else status)


def report_asked() -> int | None:
    """Return the introduction whose "Report a step" form the page opens (``?report=<id>``,
    the outcome prompts' link), or None."""
    raw = request.args.get("report", "")
    # isdecimal, not isdigit: a superscript "²" is a digit that int() does not read
    return int(raw) if raw.isdecimal() and len(raw) <= 12 else None


def shown_page(focus: int | None) -> int:
    """Return the page of past introductions to show: the one that holds ``focus`` when it
    names a past introduction the reader may see, else ``?page=``."""
    if focus is not None:
        try:
            intro = service.get_introduction(current_user, focus)
        except NotFound:
            return page_number()
        if service.state_now(intro, utcnow()) in CLOSED_STATES:
            return inbox_page_of(intro)
    return page_number()


def inbox_page_of(intro: Introduction) -> int:
    """Return the inbox page that holds the introduction: open ones are on every page, past
    ones :data:`PAST_PAGE` a page, newest first."""
    if service.state_now(intro, utcnow()) not in CLOSED_STATES:
        return 1
    return notices.listed_before(current_user, intro, CLOSED_STATES) // PAST_PAGE + 1


def back_to_page_of(intro_id: int):
    """Return the redirect to the inbox page that holds the introduction, its messages at
    the top (``#content``: a form's own address may carry its entry's anchor)."""
    try:
        page = inbox_page_of(service.get_introduction(current_user, intro_id))
    except NotFound:
        page = 1
    return redirect(url_for("ui.introductions", **({"page": page} if page > 1 else {}),
                            _anchor="content"))


@bp.get("/introductions")
@reads_args("page")
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
        return inbox(refused_form(intro_id, action, form, request.form), 422)
    return run_move(intro_id, lambda: apply_action(intro_id, action, form),
                    DONE_MESSAGES[action]())


@bp.post("/introductions/<int:intro_id>/outcomes")
@login_required
def report_outcome(intro_id: int):
    """Report a step of the introduction's ladder; a refusal writes nothing."""
    if not OutcomeForm().validate_on_submit():
        return inbox(outcomes.expired(intro_id, "outcome"), 422)
    return run_move(intro_id, lambda: outcomes.report(current_user, intro_id),
                    _("Step recorded. The other party will be asked to confirm it."),
                    lambda err: outcomes.refused_step(intro_id, err), refusal_text)


@bp.post("/introductions/<int:intro_id>/outcomes/<int:step_id>/<action>")
@login_required
def answer_outcome(intro_id: int, step_id: int, action: str):
    """Confirm or dispute the other party's step."""
    if action not in ("confirm", "dispute"):
        abort(404)
    if not OutcomeForm().validate_on_submit():
        return inbox(outcomes.expired(intro_id, f"{action}-{step_id}"), 422)
    done = _("Step confirmed.") if action == "confirm" else _("Step disputed.")
    return run_move(intro_id, lambda: outcomes.answer(current_user, intro_id, step_id, action),
                    done, lambda err: outcomes.refused_answer(intro_id, step_id, action, err),
                    refusal_text)


def run_move(intro_id: int, move: Callable[[], object], done: str,
             refused_as: Callable[[PuenteError], Refused | None] | None = None,
             said: Callable[[PuenteError], str] | None = None):
    """Run a use case posted from the page; a refusal writes nothing. A form refused for its
    input comes back as typed (``refused_as`` returns it: 422, or 409 for a conflict such as
    a step out of the ladder's order); any other refusal is a message (``said``, by default
    :func:`refusal_message`) on the page that holds the introduction."""
    try:
        move()
    except NotFound:
        abort(404)
    except (Conflict, Forbidden, InvalidInput) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        refused = refused_as(err) if refused_as is not None else None
        if refused is not None:
            return inbox(refused, 409 if isinstance(err, Conflict) else 422)
        flash((said or refusal_message)(err), "error")
        return back_to_page_of(intro_id)
    flash(done)
    return back_to_page_of(intro_id)


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
