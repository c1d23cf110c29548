"""Forms of the cohort pages: a new allocation (or a re-run), adding a pair, confirming.

The allocation form reads lists of ids and of pairs from text, checks codes against the
taxonomy, and gives the service the same request the API takes (``allocation_request``).
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from matcher import taxonomy as tx
from matcher.cohort import OBJECTIVES
from models.storable import valid_id
from webapp.i18n import current_locale
from webapp.schemas.cohorts import MAX_COHORT
from webapp.ui.forms import LocaleFloatField, StorableForm, WholeNumberField
from webapp.ui.widgets import SelectField

SEPARATORS = re.compile(r"[\s,;]+")
PAIR_LINE = re.compile(r"^\s*(\S+?)\s*(?:[:,;]|\s)\s*(\S+)\s*$")
OBJECTIVE_LABELS = {
    "total_score": _l("Best total score"),
    "coverage": _l("Match as many SMEs as possible first"),
}
KIND_FILTERS = {"sme": ("country", "subdivision", "sector", "need", "language"),
                "mentor": ("country", "subdivision", "sector", "expertise", "language")}


def parse_id(text: str) -> int:
    """Return a profile id written as text; ValueError when it is not one."""
    value = int(text.strip())
    if not valid_id(value):
        raise ValueError(text)
    return value


def parse_ids(text: str | None) -> list[int]:
    """Return the ids of a list written with commas, spaces or one per line."""
    values = [v for v in SEPARATORS.split(text or "") if v]
    ids = []
    for value in values:
        try:
            ids.append(parse_id(value))
        except ValueError as err:
            raise ValidationError(_("“%(value)s” is not a profile id.", value=value)) from err
    if len(ids) > MAX_COHORT:
        raise ValidationError(_("Give at most %(num)s ids.", num=MAX_COHORT))
    return ids


def parse_pairs(text: str | None) -> list[list[int]]:
    """Return the pairs written one a line as "SME id, mentor id" (or "12 40", "12:40")."""
    pairs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = PAIR_LINE.match(line)
        try:
            pairs.append([parse_id(found[1]), parse_id(found[2])])
        except (TypeError, ValueError) as err:
            raise ValidationError(_(
                "Line %(num)s: write an SME id and a mentor id, e.g. “12 40”.",
                num=number)) from err
    if len(pairs) > MAX_COHORT:
        raise ValidationError(_("Give at most %(num)s pairs.", num=MAX_COHORT))
    return pairs


def check_ids(form: FlaskForm, field: Field) -> None:
    """Refuse a list with something else than ids in it."""
    parse_ids(field.data)


def check_pairs(form: FlaskForm, field: Field) -> None:
    """Refuse lines that are not pairs of ids."""
    parse_pairs(field.data)


def check_sector(form: FlaskForm, field: Field) -> None:
    """Refuse an unknown NAICS code."""
    if field.data and not tx.is_naics_code(field.data.strip()):
        raise ValidationError(_("Unknown NAICS 2022 code: %(codes)s.", codes=field.data))


def check_language(form: FlaskForm, field: Field) -> None:
    """Refuse an unknown language code."""
    if field.data and not tx.is_language(field.data.strip().lower()):
        raise ValidationError(_("Unknown language code: %(codes)s.", codes=field.data))


def check_subdivision(form: FlaskForm, field: Field) -> None:
    """Refuse a subdivision of no program country, or of another country than chosen."""
    code = (field.data or "").strip().upper()
    if not code:
        return
    country = form[field.name.replace("subdivision", "country")].data
    if not any(tx.is_subdivision(code, cc) for cc in ([country] if country
                                                      else tx.PROGRAM_COUNTRIES)):
        raise ValidationError(_("Unknown state, province or territory code (e.g. MX-CHH)."))


def ids_field(label) -> TextAreaField:
    """Return a field of profile ids (empty: select by the filters)."""
    return TextAreaField(label, validators=[check_ids], description=_l(
        "Separated by commas or spaces. Leave empty to select by the filters below."))


def subdivision_field() -> SelectField:
    """Return the subdivision filter: a list by country (checked against the chosen one)."""
    return SelectField(_l("State, province or territory"), validate_choice=False,
                       validators=[check_subdivision])


def sector_field() -> StringField:
    """Return the NAICS sector filter: a code, with the sectors offered by name (datalist)."""
    return StringField(_l("Sector (NAICS code)"), validators=[check_sector],
                       description=_l("Type a code or a word of its title, e.g. 3363 or food."))


def language_field() -> SelectField:
    """Return the language filter: the region's languages by name."""
    return SelectField(_l("Language"), validate_choice=False, validators=[check_language])


def subdivision_choices(lang: str) -> list[SelectChoice]:
    """Return every program country's subdivisions by name, grouped by country."""
    return [SelectChoice("", _("Any"))] + [
        SelectChoice(s["code"], s["name"], optgroup=tx.country_name(cc, lang))
        for cc in tx.PROGRAM_COUNTRIES for s in tx.subdivisions(cc, lang)]


def language_choices(lang: str, current: str | None) -> list[SelectChoice]:
    """Return the region's languages by name (and the current code if it is another)."""
    regional = tx.languages(lang, regional=True)
    choices = [SelectChoice("", _("Any"))] + [
        SelectChoice(item["code"], item["name"]) for item in regional]
    if current and current not in {item["code"] for item in regional}:
        choices.append(SelectChoice(current, tx.language_name(current, lang) or current))
    return choices


@cache
def sector_options(lang: str) -> list[dict[str, str | None]]:
    """Return the sectors, subsectors and industry groups offered by the sector box."""
    return [tx.naics_entry(code, lang) for code in tx.naics_codes()
            if len(code) <= 4 or "-" in code]


class AllocationForm(StorableForm):
    """A new cohort allocation: who is in it and the solver's options."""

    sme_ids = ids_field(_l("SME ids"))
    sme_country = SelectField(_l("Country"), validate_choice=False)
    sme_subdivision = subdivision_field()
    sme_sector = sector_field()
    sme_need = SelectField(_l("Need"), validate_choice=False)
    sme_language = language_field()
    mentor_ids = ids_field(_l("Mentor ids"))
    mentor_country = SelectField(_l("Country"), validate_choice=False)
    mentor_subdivision = subdivision_field()
    mentor_sector = sector_field()
    mentor_expertise = SelectField(_l("Expertise"), validate_choice=False)
    mentor_language = language_field()
    min_score = LocaleFloatField(_l("Minimum score"), default=0.0, validators=[
        InputRequired(_l("This field is required.")),
        NumberRange(0, 1, _l("Give a number from 0 to 1."))])
    language_required = BooleanField(_l("A shared language is required"), default=True)
    mentors_per_sme = WholeNumberField(_l("Mentors per SME"), default=1, validators=[
        InputRequired(_l("Give a whole number from 1 to 10.")),
        NumberRange(1, 10, _l("Give a whole number from 1 to 10."))])
    objective = RadioField(_l("Objective"), default="total_score", choices=[
        SelectChoice(code, OBJECTIVE_LABELS[code]) for code in OBJECTIVES])
    pinned = TextAreaField(_l("Pinned pairs"), validators=[check_pairs], description=_l(
        "Pairs that must stay: one a line, SME id then mentor id, e.g. “12 40”."))
    excluded = TextAreaField(_l("Excluded pairs"), validators=[check_pairs], description=_l(
        "Pairs never to choose, one a line. Pairs declined before or with an open "
        "introduction are left out anyway."))
    previous_id = HiddenField(validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = [SelectChoice("", _("Any"))] + [
            SelectChoice(cc, tx.country_name(cc, current_locale()))
            for cc in tx.PROGRAM_COUNTRIES]
        needs = [SelectChoice("", _("Any"))] + [
            SelectChoice(n["code"], n["label"]) for n in tx.needs(current_locale())]
        subdivisions = subdivision_choices(current_locale())
        for kind, facet in (("sme", "need"), ("mentor", "expertise")):
            self[f"{kind}_subdivision"].choices = subdivisions
            language = self[f"{kind}_language"]
            language.choices = language_choices(current_locale(), language.data)
            self[f"{kind}_country"].choices = countries
            self[f"{kind}_{facet}"].choices = needs
            self[f"{kind}_country"].validators = [_one_of(tx.PROGRAM_COUNTRIES)]
            self[f"{kind}_{facet}"].validators = [_one_of(tx.NEED_CODES)]

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then refuse a selection by ids and by filters at once."""
        valid = super().validate(extra_validators)
        for kind in ("sme", "mentor"):
            ids, *filters = self.selection_fields(kind)
            if (ids.data or "").strip() and any((f.data or "").strip() for f in filters):
                ids.errors = [*ids.errors, _("Give either ids or filters, not both.")]
                valid = False
        return valid

    def validate_min_score(self, field: Field) -> None:
        """Refuse "nan", which no range check catches."""
        if field.data is not None and not math.isfinite(field.data):
            raise ValidationError(_("Give a number from 0 to 1."))

    def validate_previous_id(self, field: Field) -> None:
        """Refuse a previous proposal that is not an id."""
        if field.data:
            try:
                parse_id(field.data)
            except ValueError as err:
                raise ValidationError(_("“%(value)s” is not a proposal id.",
                                        value=field.data)) from err

    def selection_fields(self, kind: str) -> list[Field]:
        """Return the fields selecting the SMEs or the mentors, ids first."""
        return [self[f"{kind}_ids"]] + [self[f"{kind}_{n}"] for n in KIND_FILTERS[kind]]

    def allocation_request(self) -> dict[str, Any]:
        """Return the request the cohort service takes (after ``validate``)."""
        data: dict[str, Any] = {
            "smes": self._selection("sme"), "mentors": self._selection("mentor"),
            "options": {"min_score": float(self.min_score.data),
                        "language_required": bool(self.language_required.data),
                        "mentors_per_sme": int(self.mentors_per_sme.data),
                        "objective": self.objective.data,
                        "pinned": parse_pairs(self.pinned.data),
                        "excluded": parse_pairs(self.excluded.data)}}
        if self.previous_id.data:
            data["previous_id"] = parse_id(self.previous_id.data)
        return data

    def _selection(self, kind: str) -> dict[str, Any]:
        ids = parse_ids(self[f"{kind}_ids"].data)
        if ids:
            return {"ids": ids}
        filters = {}
        for name in KIND_FILTERS[kind]:
            value = (self[f"{kind}_{name}"].data or "").strip()
            if value:
                filters[name] = value.upper() if name == "subdivision" else value
        return {"filter": filters}

    def fill_from(self, request: dict[str, Any], previous_id: int) -> AllocationForm:
        """Prefill the form from a proposal's request, to re-run it with other options."""
        for kind, key in (("sme", "smes"), ("mentor", "mentors")):
            selection = request.get(key) or {}
            self[f"{kind}_ids"].data = ", ".join(map(str, selection.get("ids", [])))
            for name, value in (selection.get("filter") or {}).items():
                if f"{kind}_{name}" in self:
                    self[f"{kind}_{name}"].data = value
        options = request.get("options") or {}
        for name in ("min_score", "language_required", "mentors_per_sme", "objective"):
            if name in options:
                self[name].data = options[name]
        self.pinned.data = "\n".join(f"{s} {m}" for s, m in options.get("pinned", []))
        self.excluded.data = "\n".join(f"{s} {m}" for s, m in options.get("excluded", []))
        self.previous_id.data = str(previous_id)
        for kind in ("sme", "mentor"):
            language = self[f"{kind}_language"]
            language.choices = language_choices(current_locale(), language.data)
        return self


def _one_of(codes) -> Any:
    def check(form: FlaskForm, field: Field) -> None:
        if field.data and field.data not in codes:
            raise ValidationError(_("Choose one of the listed values."))
    return check


class AddPairForm(StorableForm):
    """Add one pair to a draft."""

    sme_id = StringField(_l("SME id"))
    mentor_id = StringField(_l("Mentor id"))

    def validate_sme_id(self, field: Field) -> None:
        """Refuse anything but a profile id."""
        _required_id(field)

    def validate_mentor_id(self, field: Field) -> None:
        """Refuse anything but a profile id."""
        _required_id(field)


def _required_id(field: Field) -> None:
    if not (field.data or "").strip():
        raise ValidationError(_("This field is required."))
    try:
        parse_id(field.data)
    except ValueError as err:
        raise ValidationError(_("“%(value)s” is not a profile id.", value=field.data)) from err


class RemovePairForm(StorableForm):
    """The "remove" button of one pair."""

    sme_id = HiddenField()
    mentor_id = HiddenField()


class ConfirmCohortForm(StorableForm):
    """The confirm button: the CSRF token only."""
