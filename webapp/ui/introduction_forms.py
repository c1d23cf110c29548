"""Forms and labels of the introduction pages (inbox and coordinator dashboard)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
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
