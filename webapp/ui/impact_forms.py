"""The impact page's filter form: years, the SME's country and group, the pairing, the
source (cohort or self-requested)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice
from wtforms.validators import AnyOf, NumberRange, Optional, ValidationError

from webapp.catalogue.words import LADDERS
from webapp.i18n import current_locale
from webapp.ui.forms import FilterForm, YearField
from webapp.ui.helpers import country_name
from webapp.ui.labels import OWNERSHIP_LABELS
from webapp.ui.metrics_forms import NO_GROUP
from webapp.ui.widgets import SelectField

COUNTRIES = ("CA", "MX", "US")  # as GET /api/v1/impact takes them
PAIRING_LABELS = {code: _l(msgid) for code, msgid in LADDERS.items()}  # the catalogue's words
SOURCE_LABELS = {"self_requested": _l("Self-requested"), "cohort": _l("Cohort")}
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ImpactFilterForm(FilterForm):
    """The GET filters of the impact page and its CSV (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    from_ = YearField(_l("From (year)"), name="from", validators=[
        Optional(), NumberRange(FIRST_YEAR, LAST_YEAR,
                                message=_l("Enter a year from 2000 to 2100."))])
    to = YearField(_l("To (year)"), validators=[
        Optional(), NumberRange(FIRST_YEAR, LAST_YEAR,
                                message=_l("Enter a year from 2000 to 2100."))])
    country = SelectField(_l("SME country"), default="", validate_choice=False, validators=[
        AnyOf(("", *COUNTRIES), message=_l("Choose a country from the list."))])
    ownership = SelectField(_l("Ownership group"), default="", validate_choice=False,
                            validators=[AnyOf(("", *OWNERSHIP_LABELS, "none"),
                                              message=_l("Choose a group from the list."))])
    pairing = SelectField(_l("Pairing"), default="", validate_choice=False, validators=[
        AnyOf(("", *PAIRING_LABELS), message=_l("Choose a pairing from the list."))])
    source = SelectField(_l("Source"), default="", validate_choice=False,  # as By source's
                         validators=[AnyOf(("", *SOURCE_LABELS),
                                           message=_l("Choose one of the options."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        everyone = [SelectChoice("", _("All"))]
        self.country.choices = everyone + [
            SelectChoice(cc, country_name(cc, locale)) for cc in COUNTRIES]
        self.ownership.choices = everyone + [
            SelectChoice(code, label) for code, label in OWNERSHIP_LABELS.items()] + [
            SelectChoice("none", str(NO_GROUP))]  # as the "by ownership" table names them
        self.pairing.choices = everyone + [
            SelectChoice(code, label) for code, label in PAIRING_LABELS.items()]
        self.source.choices = everyone + [
            SelectChoice(code, label) for code, label in SOURCE_LABELS.items()]

    def validate_to(self, field) -> None:
        start = self.from_.data
        if start and field.data and field.data < start:
            raise ValidationError(_("The last year must not be before the first."))

    def filters(self) -> dict[str, Any]:
        """Return the filters the impact service takes: only those given."""
        chosen = {"from_": self.from_.data, "to": self.to.data,
                  "country": self.country.data or None,
                  "ownership": self.ownership.data or None,
                  "pairing": self.pairing.data or None,
                  "source": self.source.data or None}
        return {key: value for key, value in chosen.items() if value}
