"""Profile editor forms: one per kind, the field names those of the API contract.

The forms collect and render; the API's marshmallow schemas validate (one set of rules for
the UI and the API), and their field errors are put back on the form fields, translated.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from wtforms import (
    BooleanField,
    Field,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from matcher import taxonomy as tx
from models import utcnow
from webapp.errors import Fields, Problem
from webapp.schemas.profiles import (
    EMPLOYEE_BANDS,
    EXPORT_STAGES,
    MENTOR_MODES,
    OWNERSHIP,
    VOLUMES,
)
from webapp.ui.forms import StorableForm
from webapp.ui.helpers import problem_text
from webapp.ui.labels import VALUE_LABELS
from webapp.ui.widgets import SelectField

LOCATION_FIELDS = ("country", "subdivision", "city")
FIRST_LANGUAGES = ("en", "es", "fr")


class CodesField(Field):
    """Codes or names typed in one or several inputs of the same name, split on separators."""

    def __init__(self, label=None, validators=None, separators: str = r"[,;\n]", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.separators = re.compile(separators)

    def process_formdata(self, valuelist: list[str]) -> None:
        items = (part.strip() for value in valuelist for part in self.separators.split(value))
        self.data = list(dict.fromkeys(item for item in items if item))

    def process_data(self, value) -> None:
        self.data = list(value or [])

    def _value(self) -> str:
        return ", ".join(self.data or [])


class ChecklistField(SelectMultipleField):
    """Several choices as checkboxes; the schema, not the form, checks the values."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class PauseEndField(StringField):
    """The day a pause ends, as a date input; a pause already over shows empty."""

    widget = DateInput()

    def process_data(self, value) -> None:
        ahead = isinstance(value, date) and value > utcnow().date()
        self.data = value.isoformat() if ahead else None


def _select(label) -> SelectField:
    return SelectField(label, validate_choice=False)


class ProfileForm(StorableForm):
    name = StringField(_l("Name"))
    description = TextAreaField(_l("Description"))
    active = BooleanField(_l("Show this profile to others"), default=True)
    country = _select(_l("Country"))
    subdivision = _select(_l("State, province or territory"))
    city = StringField(_l("City or town"))
    sectors = CodesField(_l("Sectors (NAICS 2022 codes)"), separators=r"[,;\s]+")
    languages = ChecklistField(_l("Languages spoken"))
    markets = ChecklistField(_l("Markets"))
    contact_email = StringField(_l("Contact e-mail"))
    contact_phone = StringField(_l("Contact phone"))


class SmeForm(ProfileForm):
    markets = ChecklistField(_l("Markets you sell to or want to reach"))
    products_text = TextAreaField(_l("Products and services you offer"))
    employees = _select(_l("Employees"))
    export_stage = _select(_l("Export stage"))
    needs = ChecklistField(_l("What do you need help with?"))
    needs_text = TextAreaField(_l("Your needs in your own words"))
    certifications = CodesField(_l("Certifications held"))
    ownership = ChecklistField(_l("Self-declared ownership (optional)"), description=_l(
        "Used only for program statistics; it never lowers your ranking."))


class MentorForm(ProfileForm):
    markets = ChecklistField(_l("Markets you know"))
    bio = TextAreaField(_l("About you"))
    expertise = ChecklistField(_l("Expertise"))
    capacity = StringField(_l("Capacity (mentees at a time)"))
    mode = _select(_l("Mentoring mode"))
    paused = BooleanField(_l("Pause new introductions"))
    paused_until = PauseEndField(_l("Paused until"))


class BuyerForm(ProfileForm):
    markets = ChecklistField(_l("Markets you sell in"))
    products_text = TextAreaField(_l("Products you are looking for"))
    volume = _select(_l("Order volume"))
    sourcing_countries = ChecklistField(_l("Countries you source from"))
    required_certifications = CodesField(_l("Certifications you require"))
    diversity_goals = ChecklistField(_l("Supplier-diversity goals (optional)"), description=_l(
        "Suppliers that chose to declare such ownership rank higher for you; you are never "
        "shown who declared what."))


PROFILE_FORMS: dict[str, type[ProfileForm]] = {"sme": SmeForm, "mentor": MentorForm,
                                               "buyer": BuyerForm}

# How the editor groups the fields; fields a kind lacks are skipped.
FIELDSETS = (
    (_l("About"), ("name", "description", "bio", "products_text", "employees", "export_stage",
                   "volume", "active")),
    (_l("Location"), LOCATION_FIELDS),
    (_l("Sectors, languages and markets"), ("sectors", "languages", "markets",
                                            "sourcing_countries")),
    (_l("Needs"), ("needs", "needs_text", "certifications", "ownership")),
    (_l("Mentoring"), ("expertise", "capacity", "mode", "paused", "paused_until")),
    (_l("Requirements"), ("required_certifications", "diversity_goals")),
    (_l("Contact details (private)"), ("contact_email", "contact_phone")),
)
FIELD_HINTS = {
    "sectors": _l("Type a code or words (e.g. 3363 or furniture) and pick from the list."),
    "certifications": _l("Separate several with commas."),
    "required_certifications": _l("Separate several with commas."),
    "contact_email": _l("Shared only with the people you accept an introduction with."),
    "capacity": _l("From 0 to 50."),
    "paused_until": _l("Out of the rankings and taking no new requests until this day; back "
                       "by itself on that day. Leave empty for no return date."),
}


def make_form(kind: str, schema: Schema, hidden: tuple[str, ...] = (),
              **kwargs) -> ProfileForm:
    """Build the editor form of a kind, without the fields its schema does not accept nor
    the ``hidden`` ones (those the editor may not read: saving keeps their values)."""
    form = PROFILE_FORMS[kind](**kwargs)
    for name in list(form._fields):
        if name != "csrf_token" and (name not in schema.load_fields or name in hidden):
            del form[name]
    return form


def set_choices(form: ProfileForm, lang: str) -> None:
    """Fill the choices of the form's selects and checklists in the given language."""
    needs = [(n["code"], n["label"]) for n in tx.needs(lang)]
    options = {
        "country": [("", "—"), *((c, tx.country_name(c, lang)) for c in tx.PROGRAM_COUNTRIES)],
        "languages": _language_choices(lang, form),
        "markets": _country_choices(lang),
        "sourcing_countries": _country_choices(lang),
        "needs": needs,
        "expertise": needs,
        "ownership": _labelled("ownership", OWNERSHIP),
        "diversity_goals": _labelled("ownership", OWNERSHIP),
        "mode": _labelled("mode", MENTOR_MODES),
        "employees": [("", "—"), *_labelled("employees", EMPLOYEE_BANDS)],
        "export_stage": [("", "—"), *_labelled("export_stage", EXPORT_STAGES)],
        "volume": [("", "—"), *_labelled("volume", VOLUMES)],
    }
    for name, pairs in options.items():
        if name in form:
            form[name].choices = choices(pairs)
    if "subdivision" in form:
        # Every program country's, grouped by country: the form works without JavaScript.
        form.subdivision.choices = [
            SelectChoice(s["code"], s["name"], optgroup=c)
            for c in tx.PROGRAM_COUNTRIES for s in tx.subdivisions(c, lang)]


def choices(pairs) -> list[SelectChoice]:
    """Return (value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def _labelled(field: str, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, VALUE_LABELS[field][code]) for code in codes]


def _language_choices(lang: str, form: ProfileForm) -> list[tuple[str, str]]:
    """Return the region's languages, en/es/fr first, plus any other the profile has."""
    regional = {row["code"]: row["name"] for row in tx.languages(lang, regional=True)}
    extra = [c for c in form.languages.data or () if c not in regional and tx.is_language(c)]
    regional.update((c, tx.language_name(c, lang)) for c in extra)
    first = [(c, regional[c]) for c in FIRST_LANGUAGES if c in regional]
    return first + [(c, n) for c, n in regional.items() if c not in FIRST_LANGUAGES]


def _country_choices(lang: str) -> list[tuple[str, str]]:
    """Return every country, the three program countries first."""
    names = {row["code"]: row["name"] for row in tx.countries(lang)}
    first = [(c, names[c]) for c in tx.PROGRAM_COUNTRIES]
    return first + [(c, n) for c, n in names.items() if c not in tx.PROGRAM_COUNTRIES]


def form_input(form: ProfileForm, schema: Schema) -> dict[str, Any]:
    """Return the form's values as schema input; empty values are left out or null."""
    data: dict[str, Any] = {}
    for name, field in form._fields.items():
        if name == "csrf_token":
            continue
        value = field.data
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            if schema.fields[name].allow_none:
                data[name] = None
            continue  # missing: the schema's default, or its "required" message
        # A field left out of the POST keeps the profile's value: capacity is then an int.
        if name == "capacity" and isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value):
            value = int(value)
        data[name] = value
    return data


def put_errors(form: ProfileForm, fields: Fields, submitted: dict[str, Any]) -> list[str]:
    """Put field problems (a schema's or a use case's) on the form, in the reader's language;
    return the messages of the problems no field of the form shows."""
    unplaced: list[str] = []
    for name, problems in fields.items():
        texts = [_text(problem, submitted.get(name)) for problem in problems]
        if name in form and name != "csrf_token":
            form[name].errors = [*form[name].errors, *texts]
        else:
            unplaced.extend(texts)
    return unplaced


def _text(problem: Problem, value: Any) -> str:
    """Return a problem's message; one about a list item names the offending item."""
    params = dict(problem.params)
    item = params.pop("item", None)
    text = problem_text(Problem(problem.code, **params))
    if item is None:
        return text
    if isinstance(value, list) and isinstance(item, int) and item < len(value):
        item = value[item]
    return f"{_shorten(item)}: {text}"


def _shorten(value: Any, width: int = 30) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
