"""Coordinator dashboard: every introduction with its match snapshot, counts and reviews."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from models import INTRODUCTION_KINDS, INTRODUCTION_STATES, Introduction
from webapp import policy
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Problem,
    record_access_denied,
)
from webapp.presenters import present_introduction
from webapp.services import introductions as service
from webapp.services import outcome_steps
from webapp.services.metrics import state_summary
from webapp.ui.helpers import (
    page_number,
    page_refusal,
    problem_text,
    query_args,
    refusal_text,
    repeated_refusal,
    require,
)
from webapp.ui.homes import render_review_queue
from webapp.ui.introduction_forms import INTRO_KIND_LABELS, STATE_LABELS, ReviewForm
from webapp.ui.outcomes import OnBehalfForm, staff_ladder_entry
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp, safe_next

DASHBOARD_SIZE = 50  # introductions a page


# The states one can filter by: the stored ones (not a requester's reading, as party_left).
FILTER_STATE_LABELS = {s: STATE_LABELS[s] for s in INTRODUCTION_STATES}
FILTERS = {"state": INTRODUCTION_STATES, "kind": tuple(INTRODUCTION_KINDS.values())}


def dashboard_filters() -> tuple[dict[str, str], dict[str, str]]:
    """Return the state and kind filters of the query string, and the message of each
    refused one (an unknown value, or one given twice: dropped, its error shown next to its
    field)."""
    filters, refused = {}, {}
    for name, values in FILTERS.items():
        value = request.args.get(name, "")
        if (repeated := repeated_refusal(name)) is not None:
            refused[name] = repeated
        elif value in values:
            filters[name] = value
        elif value:
            refused[name] = problem_text(Problem("not_one_of"))
    if (page := page_refusal()) is not None:
        refused["page"] = page
    return filters, refused


def program_stats() -> dict[str, Any]:
    """Return counts by state, the acceptance rate and the requests waiting too long."""
    days = current_app.config["PUENTE_REMINDER_DAYS"]
    stats = state_summary(days)
    return {"counts": [(STATE_LABELS[s], n) for s, n in stats["by_state"].items()],
            "acceptance_rate": stats["acceptance_rate"], "stale": stats["stale"],
            "stale_days": days}


def dashboard_entry(intro: Introduction) -> dict[str, Any]:
    """Return what the dashboard shows of an introduction: the presenter's, less contacts."""
    shown = present_introduction(current_user, intro)
    for side in ("requester", "target"):
        shown[side] = {k: v for k, v in shown[side].items() if not k.startswith("contact_")}
    shown.update(state_label=STATE_LABELS.get(shown["state"], shown["state"]),
                 kind_label=INTRO_KIND_LABELS.get(intro.kind, intro.kind),
                 reviewed=any(r.reviewer_id == current_user.id for r in intro.reviews),
                 outcomes=(staff_ladder_entry(intro)
                           if intro.state in outcome_steps.LADDER_STATES else None))
    return shown


def render_dashboard(failed: tuple[int, ReviewForm] | None = None, status: int = 200,
                     failed_step: tuple[int, list[str], str] | None = None):
    """Render the dashboard; a review or on-behalf form that failed is shown again as typed,
    with its errors next to its field."""
    filters, refused = dashboard_filters()
    if refused and status == 200:
        status = 422  # the list is shown without the refused filter, named next to its field
    page = service.list_introductions(current_user, dict(filters), page_number(), DASHBOARD_SIZE)
    return render_template(
        "dashboard.html", entries=[dashboard_entry(i) for i in page.items], total=page.total,
        page=page.page, pages=max(1, -(-page.total // DASHBOARD_SIZE)),
        filters=filters, refused=refused, states=FILTER_STATE_LABELS, kinds=INTRO_KIND_LABELS,
        stats=program_stats(),
        review_form=ReviewForm(formdata=None), failed=failed,
        behalf_form=OnBehalfForm(formdata=None), failed_step=failed_step), status


@bp.get("/dashboard")
@reads_args(*FILTERS, "page")
@login_required
def dashboard():
    """Show program staff the introductions, filtered, with counts and reviews."""
    require(policy.may_see_program(current_user))
    return render_dashboard()


@bp.post("/dashboard/<int:intro_id>/review")
@login_required
def review(intro_id: int):
    """Record the signed-in coordinator's review of an introduction."""
    require(policy.may_review(current_user))
    form = ReviewForm()
    back = safe_next(request.form.get("next"))
    if not form.validate_on_submit():
        # The review queue sends its reviews here too: a refused one goes back to it.
        if back and urlsplit(back).path == url_for("ui.review_queue"):
            return render_review_queue(back, (intro_id, form), 422)
        return render_dashboard((intro_id, form), 422)
    try:
        service.add_review(current_user, intro_id, int(form.rating.data),
                           (form.comment.data or "").strip(), bool(form.flag.data))
    except NotFound:
        abort(404)
    except (Conflict, Forbidden) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        flash(_("You have reviewed this introduction already."), "error")
    else:
        flash(_("Review saved."))
    # The review queue sends its reviews here too, and asks to be shown again.
    return redirect(back or url_for("ui.dashboard", **query_args()))


@bp.post("/dashboard/<int:intro_id>/outcomes/<int:step_id>/confirm")
@login_required
def confirm_on_behalf(intro_id: int, step_id: int):
    """Confirm a reported step for the party that should, with a note (audited)."""
    require(policy.may_see_program(current_user))
    form = OnBehalfForm()
    if not form.validate_on_submit():
        return render_dashboard(status=422, failed_step=(step_id, list(form.note.errors) or [
            _("The form expired or holds text that cannot be stored; please try again.")],
            form.note.data or ""))
    try:
        outcome_steps.confirm_step(current_user, intro_id, step_id, form.note.data)
    except NotFound:
        abort(404)
    except (Conflict, Forbidden, InvalidInput) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        flash(refusal_text(err), "error")
    else:
        flash(_("Step confirmed on the party's behalf."))
    return redirect(url_for("ui.dashboard", **query_args(), _anchor=f"outcome-step-{step_id}"))
