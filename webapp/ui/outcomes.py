"""The outcome ladder on the introductions page: report a step, confirm or dispute the other
party's. The same use cases and the same request schema as the API: one set of rules."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from models import Introduction, OutcomeStep
from webapp import catalogue, policy
from webapp.catalogue import words
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    invalid_messages,
    record_access_denied,
)
from webapp.i18n import current_locale
from webapp.schemas.outcomes import OutcomeRequestSchema
from webapp.services import outcome_ladder
from webapp.services import outcome_steps as service
from webapp.ui.forms import StorableForm
from webapp.ui.helpers import decimal_as_typed, refusal_text
from webapp.ui.introduction_forms import TOO_LONG
from webapp.ui.views import bp

STAGE_LABELS = {code: _l(msgid) for code, msgid in words.OUTCOME_STAGES.items()}
STATUS_LABELS = {code: _l(msgid) for code, msgid in words.OUTCOME_STATUSES.items()}
GOAL_LABELS = {code: _l(msgid) for code, msgid in words.OUTCOME_GOALS.items()}
END_REASON_LABELS = {code: _l(msgid) for code, msgid in words.END_REASONS.items()}
FIELD_LABELS = {"stage": _l("Step"), "occurred_on": _l("Date"), "amount": _l("Amount"),
                "currency": _l("Currency"), "minutes": _l("Minutes"), "goal": _l("Goal"),
                "reason": _l("Why it ended"), "note": _l("Note")}
NOTE_MAX = 2000
FORM_FIELDS = ("stage", "occurred_on", "amount", "currency", "minutes", "goal", "reason",
               "note")


class OutcomeForm(StorableForm):
    """A step reported, or a confirmation or dispute: the CSRF token and the text rule; the
    values are checked by the API's schema and the use case."""


class OnBehalfForm(StorableForm):
    """A coordinator's confirmation of a step for the party that should confirm it: the note
    saying how that party confirmed it is required (it goes to the audit log)."""

    note = TextAreaField(_l("Note"), filters=[lambda value: (value or "").strip()], validators=[
        DataRequired(_l("Say how the party confirmed the step.")),
        Length(max=NOTE_MAX, message=TOO_LONG)])


def staff_ladder_entry(intro: Introduction) -> dict[str, Any]:
    """Return the ladder as program staff see it: each step with the party that should
    confirm it, whom staff may confirm it for."""
    entry = ladder_entry(intro)
    names = {intro.requester_id: intro.target.name, intro.target_id: intro.requester.name}
    for shown, step in zip(entry["steps"], intro.outcomes, strict=True):
        shown["confirmer"] = names.get(step.reported_for_id, "")
        shown["answerable"] = step.status == "reported"
    return entry


def ladder_entry(intro: Introduction) -> dict[str, Any]:
    """Return what the page shows of an introduction's ladder to the current user."""
    ladder = outcome_ladder.ladder_of(intro.kind)
    own = {p.id for p in policy.own_parties(current_user, intro)}
    return {"ladder": ladder,
            "stages": [(s, STAGE_LABELS[s]) for s in outcome_ladder.LADDERS[ladder]],
            "steps": [_step(step, own) for step in intro.outcomes],
            "goals": list(GOAL_LABELS.items()), "reasons": list(END_REASON_LABELS.items()),
            "labels": FIELD_LABELS,
            # the prompts' link (?report=<id>) opens this introduction's "Report a step" form
            "report_open": request.args.get("report") == str(intro.id)}


def _step(step: OutcomeStep, own: set[int]) -> dict[str, Any]:
    return {"id": step.id, "stage_label": STAGE_LABELS[step.stage], "status": step.status,
            "status_label": STATUS_LABELS[step.status], "occurred_on": step.occurred_on,
            "amount": step.amount, "currency": step.currency, "minutes": step.minutes,
            "note": step.note, "mine": step.reported_for_id in own,
            "answerable": step.status == "reported" and step.reported_for_id not in own}


def _form_data() -> dict[str, Any]:
    """Return the submitted step as the API would receive it (empty fields left out; the
    amount as the reader writes numbers, :func:`decimal_as_typed`)."""
    data: dict[str, Any] = {}
    for name in FORM_FIELDS:
        value = (request.form.get(name) or "").strip()
        if value and name == "amount":
            data[name] = decimal_as_typed(value)
        elif value:
            data[name] = int(value) if name == "minutes" and value.isdigit() else value
    return data


@bp.post("/introductions/<int:intro_id>/outcomes")
@login_required
def report_outcome(intro_id: int):
    """Report a step of the introduction's ladder; a refusal writes nothing."""
    def report():
        try:
            data = OutcomeRequestSchema().load(_form_data())
        except ValidationError as err:
            raise invalid_messages(err.messages) from err
        service.report_step(current_user, intro_id, data)
    return _run(report, _("Step recorded. The other party will be asked to confirm it."))


@bp.post("/introductions/<int:intro_id>/outcomes/<int:step_id>/<action>")
@login_required
def answer_outcome(intro_id: int, step_id: int, action: str):
    """Confirm or dispute the other party's step."""
    if action not in ("confirm", "dispute"):
        abort(404)
    use_case = service.confirm_step if action == "confirm" else service.dispute_step
    note = (request.form.get("note") or "").strip()
    done = _("Step confirmed.") if action == "confirm" else _("Step disputed.")
    return _run(lambda: use_case(current_user, intro_id, step_id, note), done)


def _run(use_case, done: str):
    if not OutcomeForm().validate_on_submit():
        flash(_("The form expired or holds text that cannot be stored; please try again."),
              "error")
        return redirect(url_for("ui.introductions"))
    try:
        use_case()
    except NotFound:
        abort(404)
    except (Conflict, Forbidden, InvalidInput) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        flash(_problems_text(err), "error")
        return redirect(url_for("ui.introductions"))
    flash(done)
    return redirect(url_for("ui.introductions"))


def _problems_text(err) -> str:
    """Return the refusal in the reader's language, with each field's problems."""
    if isinstance(err, InvalidInput) and err.fields:
        return " ".join(f"{FIELD_LABELS.get(name, name)}: "
                        f"{catalogue.describe_problem(p, current_locale())}"
                        for name, problems in err.fields.items() for p in problems)
    return refusal_text(err)

