"""The program metrics page's filter form and the labels of its groups and measures."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as MarshmallowError
from wtforms import DateField, SelectChoice
from wtforms.validators import AnyOf, Optional, ValidationError

from webapp.i18n import current_locale
from webapp.schemas.fields import check_day
from webapp.schemas.metrics import COUNTRIES
from webapp.ui.forms import FilterForm
from webapp.ui.helpers import country_name, problem_text
from webapp.ui.introduction_forms import INTRO_KIND_LABELS
from webapp.ui.labels import OWNERSHIP_LABELS
from webapp.ui.widgets import SelectField

NO_GROUP = _l("No group declared")
SOURCE_LABELS = {"reviews": _l("Coordinator reviews"), "feedback": _l("Party feedback")}


class DayField(DateField):
    """A date as YYYY-MM-DD that a period may name (the API's rule, :func:`check_day`), with
    the error message in the reader's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
        if self.data is not None:
            try:
                check_day(self.data)
            except MarshmallowError as err:
                self.data = None
                raise ValueError(problem_text(err.messages[0])) from None


class MetricsFilterForm(FilterForm):
    """The GET filters of the metrics page and its CSV exports (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    from_ = DayField(_l("From"), name="from", validators=[Optional()])
    to = DayField(_l("To"), validators=[Optional()])
    country = SelectField(_l("Country"), default="", validate_choice=False, validators=[
        AnyOf(("", *COUNTRIES), message=_l("Choose a country from the list."))])
    kind = SelectField(_l("Pairing"), default="", validate_choice=False, validators=[
        AnyOf(("", *INTRO_KIND_LABELS), message=_l("Choose a pairing from the list."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        self.country.choices = [SelectChoice("", _("All"))] + [
            SelectChoice(cc, country_name(cc, locale)) for cc in COUNTRIES]
        self.kind.choices = [SelectChoice("", _("All"))] + [
            SelectChoice(code, label) for code, label in INTRO_KIND_LABELS.items()]

    def validate_to(self, field) -> None:
        start = self.from_.data
        if start and field.data and field.data < start:
            raise ValidationError(_("The end date must not be before the start date."))

    def filters(self) -> dict[str, Any]:
        """Return the filters the metrics service takes: only those given."""
        chosen: dict[str, date | str | None] = {
            "from": self.from_.data, "to": self.to.data,
            "country": self.country.data or None, "kind": self.kind.data or None}
        return {key: value for key, value in chosen.items() if value}


def country_label(code: str) -> str:
    """Return a country's name in the reader's language (the code if it is not one)."""
    return country_name(code, current_locale()) or code


def pair_label(key: str) -> str:
    """Return a country pair such as ``CA-MX`` as "Canada – Mexico"."""
    return " – ".join(country_label(code) for code in key.split("-"))


def group_label(key: str) -> str:
    """Return an ownership group's label ("none" for SMEs that declare none)."""
    return str(NO_GROUP) if key == "none" else str(OWNERSHIP_LABELS.get(key, key))


# whole phrases, not "Impressions of %(kind)s": French elides ("d’acheteurs") and no language
# capitalises the kind mid-phrase
IMPRESSION_LABELS = {"sme": _l("Impressions of SMEs"), "mentor": _l("Impressions of mentors"),
                     "buyer": _l("Impressions of buyers")}


def impressions_label(key: str) -> str:
    """Return the label of the impressions of one kind of profile shown."""
    return str(IMPRESSION_LABELS.get(key, key))
