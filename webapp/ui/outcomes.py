"""The outcome ladder on the introductions page: what it shows of each step (the goal, the
topics, the reason named in the reader's language) and the forms to report a step, confirm or
dispute the other party's (posted to :mod:`webapp.ui.introductions`, which shows the page).
The same use cases and the same request schemas as the API: one set of rules; a refusal
comes back next to its field, as it was typed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal
from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import ValidationError
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from matcher import taxonomy as tx
from models import Introduction, OutcomeStep, User
from webapp import catalogue, policy
from webapp.catalogue import words
from webapp.errors import Conflict, InvalidInput, Problem, PuenteError, invalid_messages
from webapp.i18n import current_locale
from webapp.schemas.outcomes import AnswerSchema, OutcomeRequestSchema
from webapp.services import inbox, outcome_ladder
from webapp.services import outcome_steps as service
from webapp.ui.forms import StorableForm
from webapp.ui.helpers import decimal_as_typed, refusal_text
from webapp.ui.introduction_forms import FORM, TOO_LONG, Refused

STAGE_LABELS = {code: _l(msgid) for code, msgid in words.OUTCOME_STAGES.items()}
STATUS_LABELS = {code: _l(msgid) for code, msgid in words.OUTCOME_STATUSES.items()}
GOAL_LABELS = {code: _l(msgid) for code, msgid in words.OUTCOME_GOALS.items()}
END_REASON_LABELS = {code: _l(msgid) for code, msgid in words.END_REASONS.items()}
FIELD_LABELS = {"stage": _l("Step"), "occurred_on": _l("Date"), "amount": _l("Amount"),
                "currency": _l("Currency"), "minutes": _l("Minutes"), "topics": _l("Topics"),
                "goal": _l("Goal"), "reason": _l("Why it ended"), "note": _l("Note")}
NOTE_MAX = 2000
FORM_FIELDS = ("stage", "occurred_on", "amount", "currency", "minutes", "topics", "goal",
               "reason", "note")
LISTS = ("topics",)  # fields of several values (a multiple select)
# Refusals of a step for the ladder's order (webapp.services.outcome_ladder.order_refusal):
# said next to the step chosen.
ORDER_REFUSALS = ("ladder_ended", "step_already_reported", "repeat_before_order",
                  "step_out_of_order")
AMOUNT_EXAMPLE = Decimal("12500")
EXPIRED_OR_UNSTORABLE = _l("The form expired or holds text that cannot be stored; please try "
                           "again.")


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
    locale = current_locale()  # a deleted party named in the reader's language
    names = {intro.requester_id: inbox.shown_name(intro.target, locale),
             intro.target_id: inbox.shown_name(intro.requester, locale)}
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
            # an end not disputed closes the ladder: no form that could only be refused
            "ended": any(s.stage == "ended" for s in outcome_ladder.counting(intro.outcomes)),
            "goals": list(GOAL_LABELS.items()), "reasons": list(END_REASON_LABELS.items()),
            "topics": [(n["code"], n["label"]) for n in tx.needs(current_locale())],
            "labels": FIELD_LABELS, "amount_example": amount_example(),
            # the prompts' link (?report=<id>) opens this introduction's "Report a step" form
            "report_open": request.args.get("report") == str(intro.id)}


def _step(step: OutcomeStep, own: set[int]) -> dict[str, Any]:
    """Return what the ladder shows of a step: with what it holds (the goal, the topics, the
    reason it ended) named in the reader's language, so that whoever confirms it sees what."""
    locale = current_locale()
    return {"id": step.id, "stage_label": STAGE_LABELS[step.stage], "status": step.status,
            "status_label": STATUS_LABELS[step.status], "occurred_on": step.occurred_on,
            "amount": step.amount, "amount_text": _money(step.amount, step.currency),
            "currency": step.currency, "minutes": step.minutes,
            "goal_label": GOAL_LABELS.get(step.goal or ""),
            "topic_labels": [tx.need_label(code, locale) if tx.is_need(code) else code
                             for code in step.topics or ()],
            "reason_label": END_REASON_LABELS.get(step.reason or ""),
            "note": step.note, "mine": step.reported_for_id in own,
            "answerable": step.status == "reported" and step.reported_for_id not in own}


def _money(amount: Decimal | None, currency: str | None) -> str | None:
    """Return an order's amount as the reader writes money, with every decimal recorded (up
    to 4): the other party confirms the amount stored, not one rounded to cents."""
    if amount is None:
        return None
    return format_currency(amount, currency, locale=get_locale(), decimal_quantization=False)


def amount_example() -> str:
    """Return an order's amount as this page's reader writes numbers ("12 500,00" in French,
    "12,500.00" in Spanish and English), one that :func:`decimal_as_typed` reads back.

    Worded per request, not in the template: Jinja folds a filter over a constant when it
    compiles the template, so the first reader's locale stayed in every later page."""
    return format_decimal(AMOUNT_EXAMPLE, "#,##0.00", locale=get_locale())


def _form_data() -> dict[str, Any]:
    """Return the submitted step as the API would receive it (empty fields left out; the
    amount as the reader writes numbers, :func:`decimal_as_typed`)."""
    data: dict[str, Any] = {}
    for name in FORM_FIELDS:
        if name in LISTS:
            if chosen := [v for v in request.form.getlist(name) if v.strip()]:
                data[name] = chosen
            continue
        value = (request.form.get(name) or "").strip()
        if value and name == "amount":
            data[name] = decimal_as_typed(value)
        elif value:
            data[name] = _whole_number(value) if name == "minutes" else value
    return data


def _whole_number(value: str) -> int | str:
    """Return the typed minutes as a number, or as typed for the schema to refuse: a
    superscript ("²", which ``str.isdigit`` takes), "4_5" or a number too long for ``int``
    is no number."""
    try:
        return int(value) if value.isdecimal() else value
    except ValueError:  # more digits than int() reads
        return value


def report(user: User, intro_id: int) -> None:
    """Report the posted step of the introduction's ladder (the API's schema, then the use
    case); raise the refusal, naming the fields."""
    try:
        data = OutcomeRequestSchema().load(_form_data())
    except ValidationError as err:
        raise invalid_messages(err.messages) from err
    service.report_step(user, intro_id, data)


def answer(user: User, intro_id: int, step_id: int, action: str) -> None:
    """Confirm or dispute the other party's step with the posted note (the API's schema,
    then the use case); raise the refusal, naming the fields."""
    try:
        note = AnswerSchema().load({"note": request.form.get("note") or ""})["note"]
    except ValidationError as err:
        raise invalid_messages(err.messages) from err
    use_case = service.confirm_step if action == "confirm" else service.dispute_step
    use_case(user, intro_id, step_id, note)


def refused_step(intro_id: int, err: PuenteError) -> Refused | None:
    """Return the refused "Report a step" form, each problem next to its field — a step the
    ladder's order refuses next to the step — or None for a refusal that is no form's (a
    move not yours, an introduction no longer accepted): a message."""
    if isinstance(err, InvalidInput) and err.fields:
        return Refused(intro_id, "outcome", request.form, _field_messages(err))
    if isinstance(err, Conflict) and err.code in ORDER_REFUSALS:
        return Refused(intro_id, "outcome", request.form, {"stage": [refusal_text(err)]})
    return None


def refused_answer(intro_id: int, step_id: int, action: str,
                   err: PuenteError) -> Refused | None:
    """Return the refused dispute (or confirmation) form, its note's problem next to the
    note, or None for a refusal that is no form's: a message."""
    if isinstance(err, InvalidInput) and err.fields:
        return Refused(intro_id, f"{action}-{step_id}", request.form, _field_messages(err))
    return None


def expired(intro_id: int, form: str) -> Refused:
    """Return a ladder form whose token expired (or held text that cannot be stored)."""
    return Refused(intro_id, form, request.form, {FORM: [str(EXPIRED_OR_UNSTORABLE)]})



def _field_messages(err: InvalidInput) -> dict[str, list[str]]:
    """Return each field's problems in the reader's language, by the form's field (a list's
    item, ``topics.2``, by its list; a problem of no field of the form: the form's own)."""
    locale = current_locale()
    messages: dict[str, list[str]] = {}
    for name, problems in err.fields.items():
        field = name.split(".", 1)[0]
        key = field if field in FORM_FIELDS else FORM
        messages.setdefault(key, []).extend(
            catalogue.describe_problem(_as_typed_here(p), locale) for p in problems)
    return messages


def _as_typed_here(problem: Problem) -> Problem:
    """Return the problem as the page words it: an amount's example as the reader writes
    numbers, which the form reads (the API's is the decimal string it takes)."""
    if problem.code == "not_decimal_string":
        return Problem(problem.code, **{**problem.params, "example": amount_example()})
    return problem
