"""Profile schemas: one per kind, the same in and out; the field names are the API contract."""

from __future__ import annotations

import copy
from datetime import UTC

import marshmallow as ma
from marshmallow import ValidationError, post_load, validates_schema

from matcher import taxonomy as tx
from models import utcnow
from models.storable import MAX_ID
from webapp.errors import Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import (
    FIRST_DAY,
    LAST_DAY,
    MAX_PAGE,
    BoundedSet,
    Flag,
    IsoDate,
    NameList,
    Number,
    Trimmed,
    TrimmedEmail,
    code_problems,
    country_codes,
    filter_code,
    language_codes,
    naics_codes,
    need_codes,
)
from webapp.schemas.validators import Length, OneOf, Range, Regexp, refuse

EMPLOYEE_BANDS = ("1-9", "10-49", "50-249", "250-499")
EXPORT_STAGES = ("none", "exploring", "occasional", "regular")
OWNERSHIP = ("women", "indigenous", "minority", "veteran")
MENTOR_MODES = ("virtual", "in_person", "both")
VOLUMES = ("small", "medium", "large")
TEXT_MAX = 5000
PHONE = Regexp(r"^\+?[0-9 ().\-]{5,40}$", "invalid_phone")


def _text(**kwargs) -> Trimmed:
    return Trimmed(validate=Length(max=TEXT_MAX), load_default="", **kwargs)


class Moment(ma.fields.AwareDateTime):
    """A moment given with its time zone, loaded in UTC (the moment meant, whatever the
    offset: SQLite keeps no zone), on a day from :data:`FIRST_DAY` to :data:`LAST_DAY`
    (``date_out_of_range``: PostgreSQL would store a moment beyond year 9999 that no read
    could turn back into a Python datetime)."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            moment = None
        if moment is None or not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise refuse("date_out_of_range", min=FIRST_DAY.isoformat(),
                         max=LAST_DAY.isoformat())
        return moment


class PauseEnd(IsoDate):
    """The day a pause ends (YYYY-MM-DD); a pause already over reads as none (and so saves as
    none)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value <= utcnow().date():
            return None
        return super()._serialize(value, attr, obj, **kwargs)


class ProfileSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.String(dump_only=True)
    name = Trimmed(required=True, validate=Length(min=1, max=200))
    country = ma.fields.String(required=True, validate=OneOf(
        tx.PROGRAM_COUNTRIES))
    subdivision = ma.fields.String(required=True, metadata={"example": "MX-CHH"})
    city = Trimmed(required=True, allow_none=True, validate=Length(min=1, max=120), metadata={
        "description": "null only for a retired (anonymised) profile; required when writing"})
    latitude = Number(allow_none=True, load_default=None, validate=Range(-90, 90))
    longitude = Number(allow_none=True, load_default=None, validate=Range(-180, 180))
    sectors = naics_codes(required=True, metadata={"example": ["336390"]})
    languages = language_codes(required=True, metadata={"example": ["es", "en"]})
    markets = country_codes(load_default=list)
    description = _text()
    contact_email = TrimmedEmail(allow_none=True, load_default=None, validate=Length(max=254))
    contact_phone = Trimmed(allow_none=True, load_default=None, validate=PHONE)
    active = Flag(load_default=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)
    updated_at = ma.fields.AwareDateTime(dump_only=True)
    last_active_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True, metadata={
        "description": "Last time the owner answered or made a request or edited the profile"})
    response_rate = ma.fields.Float(dump_only=True, allow_none=True, metadata={
        "description": "Share of received requests answered before expiring (null: none yet)"})

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def check_place(self, data, original_data, **kwargs):
        """Check the subdivision is in the country, and that coordinates come in pairs; with
        the fields' own problems, so that every problem is told at once (``data`` then lacks
        the refused fields)."""
        errors: dict[str, list[Problem]] = {}
        if "city" in data and data["city"] is None:
            errors["city"] = [Problem("required")]
        country = data.get("country")
        subdivision = data.get("subdivision")
        if subdivision is not None and country and not tx.is_subdivision(subdivision, country):
            errors["subdivision"] = [Problem("not_a_subdivision", country=country,
                                             subdivision=subdivision)]
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            missing = "longitude" if data.get("longitude") is None else "latitude"
            sent = original_data if isinstance(original_data, dict) else {}
            if missing in data or missing not in sent:  # else refused for its own problem
                errors[missing] = [Problem("coordinates_together")]
        if errors:
            raise ValidationError(errors)


class SmeSchema(ProfileSchema):
    needs = need_codes(load_default=list)
    needs_text = _text()
    products_text = _text()
    employees = ma.fields.String(allow_none=True, load_default=None,
                                 validate=OneOf(EMPLOYEE_BANDS))
    export_stage = ma.fields.String(allow_none=True, load_default=None,
                                    validate=OneOf(EXPORT_STAGES))
    certifications = NameList(load_default=list)
    ownership = BoundedSet(ma.fields.String(validate=OneOf(OWNERSHIP)), len(OWNERSHIP),
                           load_default=list,
                           metadata={"description": "Self-declared; used only for metrics"})


class MentorSchema(ProfileSchema):
    expertise = need_codes(load_default=list)
    bio = _text()
    capacity = ma.fields.Integer(strict=True, load_default=3, validate=Range(0, 50), metadata={
        "description": "Most introductions accepted and not yet completed at once"})
    mode = ma.fields.String(load_default="both", validate=OneOf(MENTOR_MODES))
    active_count = ma.fields.Integer(dump_only=True, metadata={
        "description": "Introductions accepted and not yet completed"})
    paused = Flag(load_default=False, metadata={
        "description": "Hidden from rankings, takes no new requests; waiting ones stay open"})
    available_until = Moment(allow_none=True, load_default=None, metadata={
        "description": "Hidden from rankings and takes no new requests from this moment "
                       "(with its time zone; answered in UTC; 2000-01-01 to 2100-12-31)"})
    paused_until = PauseEnd(allow_none=True, load_default=None, metadata={
        "description": "Paused until this day (UTC): hidden from rankings and takes no new "
                       "requests before it, back by itself on that day. A day after today; "
                       "reads null once the pause is over"})

    @validates_schema
    def _pause_ahead(self, data, **kwargs):
        until = data.get("paused_until")
        if until is not None and until <= utcnow().date():
            raise ValidationError([Problem("date_not_ahead")], "paused_until")


class GoalSet(BoundedSet):
    """A buyer's diversity goals: a bounded set; a row stored before the field existed (or
    bulk-inserted without it) holds NULL, which reads as no goals, so that a partial update
    of another field is not refused for it."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize([] if value is None else value, attr, obj, **kwargs)


class BuyerSchema(ProfileSchema):
    products_text = _text()
    required_certifications = NameList(load_default=list)
    sourcing_countries = country_codes(load_default=list)
    volume = ma.fields.String(allow_none=True, load_default=None, validate=OneOf(VOLUMES))
    diversity_goals = GoalSet(
        ma.fields.String(validate=OneOf(OWNERSHIP)), len(OWNERSHIP), load_default=list, metadata={
            "description": "Supplier-diversity goals: ownership groups the buyer seeks suppliers "
                           "from. They count for SMEs that declared one of these groups; the "
                           "buyer is never shown which."})


PROFILE_SCHEMAS: dict[str, type[ProfileSchema]] = {
    "sme": SmeSchema, "mentor": MentorSchema, "buyer": BuyerSchema,
}


class ProfileQuerySchema(Schema):
    page = ma.fields.Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=20, validate=Range(min=1, max=100))
    after = ma.fields.Integer(validate=Range(min=0, max=MAX_ID), metadata={
        "description": "Start after the profile with this id (the last one of the previous "
                       "page; the Link header's rel=\"next\" gives it): as fast at any depth "
                       "as on the first page. With page, pages count from there."})
    country = ma.fields.String(validate=OneOf(tx.PROGRAM_COUNTRIES))
    subdivision = ma.fields.String(validate=Length(max=6))
    sector = ma.fields.String(validate=Length(max=6))
    language = ma.fields.String(validate=Length(max=20))
    q = Trimmed(validate=Length(min=1, max=100))
    active = ma.fields.Boolean()

    @validates_schema
    def check_codes(self, data, **kwargs):
        """Name the filter whose code is not in the reference data, and a subdivision that is
        not of the country asked for (it would select no one)."""
        problems = code_problems(data, data.get("country"))
        if problems:
            raise ValidationError({name: [problem] for name, problem in problems.items()})

    @post_load
    def stored_codes(self, data, **kwargs):
        """Read a sector written as a part of a range as that sector ("31" -> "31-33")."""
        if "sector" in data:
            data["sector"] = filter_code("sector", data["sector"])
        return data


class SmeQuerySchema(ProfileQuerySchema):
    need = ma.fields.String(validate=Length(max=40))


class MentorQuerySchema(ProfileQuerySchema):
    expertise = ma.fields.String(validate=Length(max=40))


QUERY_SCHEMAS: dict[str, type[ProfileQuerySchema]] = {
    "sme": SmeQuerySchema, "mentor": MentorQuerySchema, "buyer": ProfileQuerySchema,
}


def page_schema(item_schema: type[ma.Schema],
                total: str = "How many rows match the filters") -> type[ma.Schema]:
    """Return the schema of a page of items: ``{items, page, per_page, total}``."""
    return Schema.from_dict({
        "items": ma.fields.List(ma.fields.Nested(item_schema)),
        "page": ma.fields.Integer(), "per_page": ma.fields.Integer(),
        "total": ma.fields.Integer(metadata={"description": total}),
    }, name=f"{item_schema.__name__.removesuffix('Schema')}Page")


def _without_defaults(cls: type[ProfileSchema]) -> dict[str, ma.fields.Field]:
    """Return copies of the schema's fields that have a default, without it: a PATCH leaves
    a field it does not send as stored (a partial load applies no default), so its
    document must not say the field then takes a default."""
    fields = {}
    for name, field in cls._declared_fields.items():
        if field.load_default is not ma.missing:
            fields[name] = copy.copy(field)
            fields[name].load_default = ma.missing
    return fields


# Partial-update schemas get their own names so the OpenAPI document tells them apart.
PATCH_SCHEMAS: dict[str, type[ProfileSchema]] = {
    kind: type(f"{cls.__name__.removesuffix('Schema')}PatchSchema", (cls,),
               _without_defaults(cls))
    for kind, cls in PROFILE_SCHEMAS.items()
}
