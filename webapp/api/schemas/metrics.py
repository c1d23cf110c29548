"""Metrics schemas: the filters in, the figures out."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import ValidationError, validates_schema
from marshmallow.validate import OneOf

from models import INTRODUCTION_KINDS

COUNTRIES = ("US", "MX", "CA")


class MetricsQuerySchema(ma.Schema):
    from_ = ma.fields.Date(data_key="from", attribute="from",
                           metadata={"description": "First day (UTC) of creation"})
    to = ma.fields.Date(metadata={"description": "Last day (UTC) of creation, included"})
    country = ma.fields.String(validate=OneOf(COUNTRIES),
                               metadata={"description": "Either party's country"})
    kind = ma.fields.String(validate=OneOf(sorted(INTRODUCTION_KINDS.values())))

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise ValidationError("Must not be before from.", "to")


class MetricsSchema(ma.Schema):
    filters = ma.fields.Dict()
    introductions = ma.fields.Integer()
    by_state = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    acceptance_rate = ma.fields.Float(allow_none=True)
    median_hours_to_answer = ma.fields.Float(allow_none=True)
    acceptance_by_score_decile = ma.fields.List(ma.fields.Dict())
    cross_border = ma.fields.Dict()
    acceptance_by_sme_country = ma.fields.Dict()
    acceptance_by_ownership = ma.fields.Dict()
    mentor_utilisation = ma.fields.Dict()
    model = ma.fields.Dict(allow_none=True)
