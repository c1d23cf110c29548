"""Forms and labels of the introduction pages (inbox and coordinator dashboard)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectChoice, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length

from webapp.catalogue import words
from webapp.schemas.introductions import COMMENT_MAX
from webapp.ui.forms import StorableForm
from webapp.ui.widgets import SelectField

# Labels defined once, in the catalogue (msgids marked there for extraction).
STATE_LABELS = {code: lazy_pgettext(m.context, m.msgid) for code, m in words.STATES.items()}
INTRO_KIND_LABELS = {
    "sme_mentor": _l("SME to mentor"), "sme_buyer": _l("SME to buyer"),
    "buyer_sme": _l("Buyer to SME"), "mentor_sme": _l("Mentor to SME"),
}
DECLINE_REASON_LABELS = {code: _l(msgid) for code, msgid in words.DECLINE_REASONS.items()}
RATINGS = ("1", "2", "3", "4", "5")
TOO_LONG = _l("Use at most %(max)d characters.")
EXPIRED = _l("The form expired; please try again.")
FORM = ""  # the key of a refused form's own errors (not one field's)


@dataclass(frozen=True)
class Refused:
    """A form of the introductions page that was refused, to show again as it was typed:
    its values, and the messages of each field (:data:`FORM`: the form's own, an expired
    form). ``form`` names it on the page: ``decline``, ``feedback``, ``outcome``,
    ``dispute-<step id>``…"""

    intro_id: int | None = None
    form: str = ""
    values: MultiDict = field(default_factory=MultiDict)
    errors: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def of(self, intro_id: int, form: str) -> Refused:
        """Return this refusal if it is of that form of that introduction, else nothing
        refused (no values, no errors): what the page's other forms show."""
        return self if (self.intro_id, self.form) == (intro_id, form) else NOTHING_REFUSED

    def value(self, name: str) -> str:
        """Return the text typed in a field ("" when none)."""
        return self.values.get(name, "")

    def chosen(self, name: str) -> list[str]:
        """Return the values chosen in a field (several for a multiple select)."""
        return self.values.getlist(name)

    def errors_of(self, name: str) -> Sequence[str]:
        """Return a field's messages (:data:`FORM`: the form's own)."""
        return self.errors.get(name, ())

    def aria(self, name: str, control_id: str, hint: str | None = None) -> Markup:
        """Return the attributes of the control ``control_id`` of a field: invalid when the
        field was refused, described by its messages (``<id>-error``) and its ``hint``."""
        described = [hint] if hint else []
        invalid = bool(self.errors_of(name))
        if invalid:
            described.append(f"{control_id}-error")
        attributes = ' aria-invalid="true"' if invalid else ""
        if described:
            attributes += f' aria-describedby="{escape(" ".join(described))}"'
        return Markup(attributes)


NOTHING_REFUSED = Refused()


def refused_form(intro_id: int, form_name: str, form, values: MultiDict) -> Refused:
    """Return a WTForms form that failed validation as a :class:`Refused` of the page (an
    expired token said as such, the form's own error)."""
    errors = {name: list(messages) for name, messages in form.errors.items()
              if name != "csrf_token"}
    if form.errors.get("csrf_token"):
        errors[FORM] = [str(EXPIRED)]
    return Refused(intro_id, form_name, values, errors)


def rating_choices() -> list[SelectChoice]:
    """Return the ratings 1 (poor) to 5 (excellent), with an empty first choice."""
    return [SelectChoice("", _("Choose a rating"))] + [SelectChoice(r, r) for r in RATINGS]


class ActionForm(StorableForm):
    """A button that moves an introduction (accept, withdraw, complete): the CSRF token only."""


class DeclineForm(StorableForm):
    reason_code = SelectField(_l("Reason"), choices=[
        SelectChoice(code, label) for code, label in DECLINE_REASON_LABELS.items()],
        validators=[InputRequired(_l("Choose a reason."))])
    reason_text = TextAreaField(_l("Note for the requester"),
                                validators=[Length(max=COMMENT_MAX, message=TOO_LONG)])


class FeedbackForm(StorableForm):
    rating = SelectField(_l("Rating"), validators=[
        InputRequired(_l("Choose a rating from 1 to 5.")),
        AnyOf(RATINGS, message=_l("Choose a rating from 1 to 5."))])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=COMMENT_MAX, message=TOO_LONG)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating.choices = rating_choices()
        self.rating.validate_choice = False  # AnyOf says it in the reader's language


class ReviewForm(FeedbackForm):
    flag = BooleanField(_l("Flag for follow-up"))
