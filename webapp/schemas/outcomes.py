"""Outcome schemas: a reported step in, a confirmation or dispute in, steps out; the impact
report's query and answer."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import marshmallow as ma

from models.outcomes import END_REASONS, GOALS, OUTCOME_STAGES, OUTCOME_STATUSES
from webapp.errors import Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import BoundedSet, IsoDate, Lang, Trimmed
from webapp.schemas.validators import Length, OneOf, Range

NOTE_MAX = 2000
SOURCES = ("self_requested", "cohort")  # the impact report's by_source keys
_DECIMAL = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?")


class DecimalString(ma.fields.Field):
    """An amount as a decimal string (``"12500.00"``): exact, never a binary float."""

    EXAMPLE = "12500.00"  # what the refusal shows: the API takes this form only

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(value, "f")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _DECIMAL.fullmatch(value.strip()):
            raise ma.ValidationError([Problem("not_decimal_string", example=self.EXAMPLE)])
        try:
            return Decimal(value.strip())
        except InvalidOperation as err:
            raise ma.ValidationError([Problem("not_decimal_string",
                                              example=self.EXAMPLE)]) from err


class Currency(Trimmed):
    """An ISO 4217 code; checked against the list by the ladder's rules."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).upper()


class OutcomeRequestSchema(Schema):
    stage = ma.fields.String(required=True, validate=OneOf(OUTCOME_STAGES), metadata={
        "description": "trade: met, samples_sent, quote_sent, order_placed, repeat_order, "
                       "ended; mentorship: session, goal_achieved, ended"})
    occurred_on = IsoDate(required=True, metadata={
        "description": "YYYY-MM-DD; not in the future nor before the introduction"})
    amount = DecimalString(load_default=None, metadata={
        "description": "Orders: a positive decimal string such as \"12500.00\""})
    currency = Currency(load_default=None, validate=Length(max=3), metadata={
        "description": "Orders: an ISO 4217 code (USD, MXN, CAD…)"})
    minutes = ma.fields.Integer(strict=True, load_default=None,
                                metadata={"description": "Sessions: 1 to 1440"})
    topics = BoundedSet(ma.fields.String(), max_items=14, load_default=list, metadata={
        "description": "Sessions: codes of the needs vocabulary"})
    goal = ma.fields.String(load_default=None, validate=OneOf(GOALS))
    reason = ma.fields.String(load_default=None, validate=OneOf(END_REASONS),
                              metadata={"description": "ended: why the ladder ends"})
    note = Trimmed(load_default="", validate=Length(max=NOTE_MAX))


class AnswerSchema(Schema):
    note = Trimmed(load_default="", validate=Length(max=NOTE_MAX), metadata={
        "description": "Required to dispute, and for staff confirming on a party's behalf"})


class OutcomeStepSchema(Schema):
    id = ma.fields.Integer()
    introduction_id = ma.fields.Integer()
    stage = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(OUTCOME_STATUSES)})
    occurred_on = ma.fields.Date()
    amount = DecimalString(allow_none=True)
    currency = ma.fields.String(allow_none=True)
    minutes = ma.fields.Integer(allow_none=True)
    topics = ma.fields.List(ma.fields.String())
    goal = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    note = ma.fields.String()
    reported_for_id = ma.fields.Integer(metadata={"description": "The reporting party"})
    answered_on_behalf = ma.fields.Boolean()
    answer_note = ma.fields.String()
    answered_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


class OutcomeListSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(OutcomeStepSchema))


class ImpactQuerySchema(Schema):
    from_ = ma.fields.Integer(data_key="from", validate=Range(2000, 2100),
                              metadata={"description": "First year (default: the first "
                                                       "year with a step)"})
    to = ma.fields.Integer(validate=Range(2000, 2100), metadata={"description": "Last year"})
    country = ma.fields.String(validate=OneOf(("US", "MX", "CA")),
                               metadata={"description": "The SME's country"})
    ownership = ma.fields.String(validate=OneOf(("women", "indigenous", "minority",
                                                 "veteran", "none")),
                                 metadata={"description": "The SME's self-declared group "
                                                          "(none: SMEs that declare none, as "
                                                          "by_ownership's group)"})
    pairing = ma.fields.String(validate=OneOf(("trade", "mentorship")))
    source = ma.fields.String(validate=OneOf(SOURCES), metadata={
        "description": "How the introduction came about: cohort (confirmed from a cohort "
                       "allocation) or self_requested"})
    lang = Lang(metadata={"description": "Language of the warnings' messages"})

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        first, last = data.get("from_"), data.get("to")
        if first is not None and last is not None and first > last:
            raise ma.ValidationError([Problem("not_before", other="from")], "to")


class ImpactSchema(Schema):
    years = ma.fields.List(ma.fields.Dict())
    funnel = ma.fields.Dict()
    mentorship_funnel = ma.fields.Dict()
    median_days = ma.fields.Dict()
    by_country = ma.fields.Dict()
    by_ownership = ma.fields.Dict()
    by_source = ma.fields.Dict()
    warnings = ma.fields.List(ma.fields.Dict())


class UsdRateRequestSchema(Schema):
    units_per_usd = DecimalString(required=True, metadata={
        "description": "Units of the currency per US dollar, the year's average (\"17.7334\")"})
    source = Trimmed(required=True, validate=Length(min=3, max=500), metadata={
        "description": "Where the rate comes from (publisher, series, release)"})


class UsdRateSchema(Schema):
    year = ma.fields.Integer()
    currency = ma.fields.String()
    units_per_usd = DecimalString()
    source = ma.fields.String()
    updated_at = ma.fields.DateTime()


class UsdRateListSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(UsdRateSchema))
