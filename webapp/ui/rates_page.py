"""The yearly US dollar rates the impact report converts with: listed for program staff, set
by admins (a form whose errors show next to the field)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField
from wtforms.validators import InputRequired, Length, NumberRange

from webapp import policy
from webapp.errors import InvalidInput
from webapp.i18n import current_locale
from webapp.services import usd_rates
from webapp.ui.forms import StorableForm, YearField
from webapp.ui.helpers import decimal_as_typed, problem_text, require
from webapp.ui.views import bp


class RateField(StringField):
    """Units of a currency per US dollar as a decimal number (kept exact as a Decimal)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = decimal_as_typed((self.data or "").strip())  # "17,7334" in French
        self.data = None
        if text:
            try:
                self.data = Decimal(text)
            except InvalidOperation:
                raise ValueError(_("Enter the rate as a decimal number, such as 17.7334.")) \
                    from None
            if not self.data.is_finite():
                self.data = None
                raise ValueError(_("Enter the rate as a decimal number, such as 17.7334."))

    def _value(self):
        return self.raw_data[0] if self.raw_data else ""


class RateForm(StorableForm):
    """Set a year's average rate of a currency, with its source."""

    year = YearField(_l("Year"), validators=[
        InputRequired(_l("Enter a year such as 2025.")),
        NumberRange(2000, 2100, message=_l("Enter a year from 2000 to 2100."))])
    currency = StringField(_l("Currency"), validators=[
        InputRequired(_l("Enter an ISO 4217 code such as MXN.")), Length(max=3, message=_l(
            "Enter an ISO 4217 code such as MXN."))])
    units_per_usd = RateField(_l("Units per US dollar"), validators=[
        InputRequired(_l("Enter the rate as a decimal number, such as 17.7334."))])
    source = StringField(_l("Source"), validators=[
        InputRequired(_l("Say where the rate comes from.")),
        Length(3, 500, message=_l("Use 3 to 500 characters."))])


@bp.get("/impact/rates")
@login_required
def usd_rates_page():
    """List the yearly rates with their sources; admins also see the form to set one."""
    require(policy.may_see_impact(current_user))
    return render_rates(RateForm(formdata=None))


@bp.post("/impact/rates")
@login_required
def set_usd_rate():
    """Store a year's rate of a currency (admins)."""
    require(policy.may_set_usd_rates(current_user))
    form = RateForm()
    if form.validate_on_submit():
        currency = form.currency.data.strip().upper()
        try:
            usd_rates.set_rate(current_user, form.year.data, currency,
                               form.units_per_usd.data, form.source.data.strip())
        except InvalidInput as err:
            for name, problems in err.fields.items():
                getattr(form, name, form.units_per_usd).errors.extend(
                    problem_text(p) for p in problems)
        else:
            flash(_("The rate of %(currency)s for %(year)s is saved.", currency=currency,
                    year=form.year.data))
            return redirect(url_for("ui.usd_rates_page"))
    return render_rates(form), 422


# Every decimal a rate holds (up to 6), none added: 1.3885 reads "1,3885" in French, 0.9 "0,9".
RATE_FORMAT = "#,##0.######"


def render_rates(form: RateForm) -> str:
    """Render the rates page: each rate written as the reader writes numbers, each documented
    source worded in the reader's language (an admin's as typed)."""
    locale = current_locale()
    rates = [{"year": r.year, "currency": r.currency,
              "source": usd_rates.source_text(r, locale),
              "units_per_usd": format_decimal(r.units_per_usd, format=RATE_FORMAT)}
             for r in usd_rates.list_rates(current_user)]
    return render_template("usd_rates.html", rates=rates, form=form,
                           may_set=policy.may_set_usd_rates(current_user))
