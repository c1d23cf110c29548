"""Forms of an introduction's conversation page: a message, a meeting proposal, a pick."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from models.conversations import MESSAGE_MAX, NOTE_MAX
from webapp.ui.forms import REQUIRED, StorableForm
from webapp.ui.introduction_forms import TOO_LONG
from webapp.ui.widgets import SelectField

MINUTE_CHOICES = (30, 45, 60, 90)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
BAD_TIME = _l("Enter a date and a time.")


class MessageForm(StorableForm):
    body = TextAreaField(_l("Your message"), validators=[
        InputRequired(REQUIRED), Length(max=MESSAGE_MAX, message=TOO_LONG)])


def _time(label, required: bool) -> DateTimeLocalField:
    check = InputRequired(REQUIRED) if required else Optional()
    return DateTimeLocalField(label, format=LOCAL_FORMAT, validators=[check],
                              invalid_value_message=BAD_TIME)


class MeetingForm(StorableForm):
    time_1 = _time(_l("First time"), True)
    time_2 = _time(_l("Second time (optional)"), False)
    time_3 = _time(_l("Third time (optional)"), False)
    minutes = SelectField(_l("Length"), coerce=int, default=60)
    note = TextAreaField(_l("Note (optional)"),
                         validators=[Length(max=NOTE_MAX, message=TOO_LONG)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.minutes.choices = [SelectChoice(m, _l("%(num)s minutes", num=m))
                                for m in MINUTE_CHOICES]


class PickForm(StorableForm):
    time = RadioField(_l("Choose a time"), validators=[InputRequired(_l("Choose a time."))])
