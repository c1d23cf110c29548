"""Cohort allocation pages (staff): run, inspect, adjust and confirm a proposal."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import Field

from matcher.reasons import Reason
from models import CohortProposal
from webapp import policy
from webapp.catalogue import render_reason
from webapp.catalogue.fields import SME_PROBLEMS
from webapp.errors import Conflict, InvalidInput, NotFound, Problem, PuenteError
from webapp.i18n import current_locale
from webapp.services import background, directory
from webapp.services import cohorts as service
from webapp.ui.cohort_forms import (
    KIND_FILTERS,
    OBJECTIVE_LABELS,
    AddPairForm,
    AllocationForm,
    ConfirmCohortForm,
    RemovePairForm,
    parse_id,
    sector_options,
)
from webapp.ui.helpers import problem_text, refusal_text, require
from webapp.ui.views import bp

RECENT = 20
# The service's field names (as the API names them) -> the allocation form's fields.
FORM_FIELDS = {"smes": "sme_ids", "smes.ids": "sme_ids", "mentors": "mentor_ids",
               "mentors.ids": "mentor_ids", "options.pinned": "pinned",
               "options.excluded": "excluded", "options.min_score": "min_score",
               "options.mentors_per_sme": "mentors_per_sme", "options.objective": "objective",
               "options.language_required": "language_required", "previous_id": "previous_id",
               **{f"{side}s.filter.{name}": f"{side}_{name}"
                  for side, names in KIND_FILTERS.items() for name in names}}
STATUS_LABELS = {"draft": _l("Draft"), "confirmed": _l("Confirmed")}
UNASSIGNED_LABELS = {
    "no_eligible_mentor": _l("No eligible mentor (language, minimum score or availability)"),
    "capacity_exhausted": _l("The suitable mentors are full"),
    "excluded": _l("Its possible pairs are excluded"),
    "inactive": _l("The SME profile is inactive"),
    "removed_by_coordinator": _l("Removed by a coordinator"),
}


def show_errors(form: AllocationForm, err: InvalidInput) -> None:
    """Put the service's problems next to the form fields they are about."""
    for name, problems in (err.fields or {"": [Problem(err.code, **err.params)]}).items():
        target = FORM_FIELDS.get(name)
        if target is None:  # about no one field: said above the form
            form.form_errors.extend(problem_text(p) for p in problems)
            continue
        field = form[target]
        field.errors = [*field.errors, *(problem_text(p) for p in problems)]


def allocation_page(form: AllocationForm, status: int = 200):
    """Render the list of recent proposals and the allocation form."""
    proposals = service.list_proposals(current_user, RECENT)
    return render_template("cohorts.html", proposals=proposals, form=form, pickers=pickers(),
                           statuses=STATUS_LABELS, objectives=OBJECTIVE_LABELS), status


def pickers() -> dict[str, Any]:
    """Return what the allocation form's lists offer: people by kind and NAICS groups."""
    return {"people": {kind: directory.people(current_user, kind) for kind in ("sme", "mentor")},
            "sectors": sector_options(current_locale())}


@bp.route("/cohorts", methods=["GET", "POST"])
@login_required
def cohorts():
    """Show the recent cohort proposals; POST queues a new allocation (or a re-run) as a
    background job and shows its progress."""
    require(policy.may_run_cohorts(current_user))
    form = AllocationForm()
    if not form.is_submitted():
        return allocation_page(form)
    if form.validate():
        request_ = form.allocation_request()
        try:
            service.check_request(current_user, request_)
        except InvalidInput as err:
            show_errors(form, err)
        else:  # the allocation runs as a job; its page follows it to the proposal
            job = background.start_job(current_user, "cohort-run", request_)
            return redirect(url_for("ui.job_page", job_id=job.id), 303)
    return allocation_page(form, 422)


def load_proposal(proposal_id: int) -> CohortProposal:
    """Return the proposal or answer 404."""
    try:
        return service.get_proposal(current_user, proposal_id)
    except NotFound:
        abort(404)


def failure_text(failure: dict[str, Any]) -> str:
    """Return why confirming a pair was refused, in the reader's language."""
    return refusal_text(PuenteError(failure["code"], **(failure.get("params") or {})))


def pair_rows(pairs: list[dict[str, Any]], locale: str) -> list[dict[str, Any]]:
    """Return the pairs as the page shows them, reasons worded for staff in their language."""
    return [{**p, "reasons": [render_reason(Reason(r["code"], r.get("params") or {}), locale,
                                            staff_about="sme")
                              for r in p.get("reasons", [])]} for p in pairs]


def render_cohort(proposal: CohortProposal, add_form: AddPairForm | None = None,
                  status: int = 200, alert: str | None = None):
    """Render a proposal: summary, pairs, unassigned SMEs, diff, edit and confirm forms."""
    result = proposal.result
    rerun = AllocationForm(formdata=None).fill_from(proposal.request, proposal.id)
    return render_template(
        "cohort.html", proposal=proposal, result=result, request_=proposal.request,
        pairs=pair_rows(result.get("pairs", []), current_locale()),
        people=service.cohort_profiles(proposal), statuses=STATUS_LABELS,
        objectives=OBJECTIVE_LABELS, unassigned_labels=UNASSIGNED_LABELS,
        failures=[{**f, "message": failure_text(f)}
                  for f in result.get("confirmation", {}).get("failed", [])],
        add_form=add_form or AddPairForm(formdata=None), remove_form=RemovePairForm(
            formdata=None), confirm_form=ConfirmCohortForm(formdata=None), rerun_form=rerun,
        pickers=pickers(), alert=alert), status


@bp.get("/cohorts/<int:proposal_id>")
@login_required
def cohort(proposal_id: int):
    """Inspect a cohort proposal."""
    require(policy.may_run_cohorts(current_user))
    return render_cohort(load_proposal(proposal_id))


@bp.post("/cohorts/<int:proposal_id>/remove")
@login_required
def remove_pair(proposal_id: int):
    """Remove one pair from a draft."""
    require(policy.may_run_cohorts(current_user))
    proposal = load_proposal(proposal_id)
    form = RemovePairForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        pair = [parse_id(form.sme_id.data or ""), parse_id(form.mentor_id.data or "")]
    except ValueError:
        return render_cohort(proposal, status=422, alert=_("This pair is not in the proposal."))
    return _edit(proposal, {"remove": [pair]}, _("Pair removed."))


@bp.post("/cohorts/<int:proposal_id>/add")
@login_required
def add_pair(proposal_id: int):
    """Add one pair to a draft; refusals are shown next to the fields."""
    require(policy.may_run_cohorts(current_user))
    proposal = load_proposal(proposal_id)
    form = AddPairForm()
    if not form.validate_on_submit():
        return render_cohort(proposal, form, 422)
    pair = [parse_id(form.sme_id.data), parse_id(form.mentor_id.data)]
    return _edit(proposal, {"add": [pair]}, _("Pair added."), form)


def _edit(proposal: CohortProposal, change: dict[str, list], done: str,
          form: AddPairForm | None = None):
    try:
        service.edit_proposal(current_user, proposal.id, change)
    except Conflict:
        return render_cohort(proposal, form, 409, _("A confirmed proposal cannot be changed."))
    except InvalidInput as err:
        problems = [p for ps in (err.fields or {"": [Problem(err.code, **err.params)]}).values()
                    for p in ps]
        if form is None:
            return render_cohort(proposal, status=422,
                                 alert=" ".join(problem_text(p) for p in problems))
        for problem in problems:
            _field_of(form, problem).errors.append(problem_text(problem))
        return render_cohort(proposal, form, 422)
    flash(done)
    return redirect(url_for("ui.cohort", proposal_id=proposal.id))


def _field_of(form: AddPairForm, problem: Problem) -> Field:
    """Return the field a refusal of an added pair is about (the SME's, or the mentor's)."""
    field = form.sme_id if problem.code in SME_PROBLEMS else form.mentor_id
    field.errors = list(field.errors)
    return field


@bp.post("/cohorts/<int:proposal_id>/confirm")
@login_required
def confirm_cohort(proposal_id: int):
    """Confirm a draft: create its introductions, then show what was created and refused."""
    require(policy.may_run_cohorts(current_user))
    proposal = load_proposal(proposal_id)
    if not ConfirmCohortForm().validate_on_submit():
        abort(400)
    try:
        proposal = service.confirm_proposal(current_user, proposal.id)
    except Conflict:
        return render_cohort(load_proposal(proposal_id), status=409,
                             alert=_("This proposal is confirmed already."))
    report = proposal.result["confirmation"]
    created, failed = len(report["created"]), len(report["failed"])
    flash(_("Cohort confirmed: %(created)s, %(refused)s.",
            created=ngettext("%(num)s introduction created", "%(num)s introductions created",
                             created),
            refused=ngettext("%(num)s refused", "%(num)s refused", failed)))
    return redirect(url_for("ui.cohort", proposal_id=proposal.id))
