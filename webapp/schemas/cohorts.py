"""Cohort proposal schemas: the allocation request, pair edits, and the proposal out."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import ValidationError, validates_schema

from matcher.cohort import OBJECTIVES
from models import COHORT_STATUSES
from models.storable import MAX_ID
from webapp.errors import Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import Flag, Number, Trimmed
from webapp.schemas.validators import Length, OneOf, Range

MAX_COHORT = 20_000


def _id(**kwargs) -> ma.fields.Integer:
    return ma.fields.Integer(strict=True, validate=Range(1, MAX_ID), **kwargs)


def _pairs(**kwargs) -> ma.fields.List:
    pair = ma.fields.List(_id(), validate=Length(equal=2),
                          metadata={"description": "[sme_id, mentor_id]"})
    return ma.fields.List(pair, validate=Length(max=MAX_COHORT), **kwargs)


class SelectionFilterSchema(Schema):
    country = Trimmed(validate=Length(equal=2))
    subdivision = Trimmed(validate=Length(max=6))
    sector = Trimmed(validate=Length(min=2, max=6))
    need = Trimmed(validate=Length(max=40))
    expertise = Trimmed(validate=Length(max=40))
    language = Trimmed(validate=Length(max=8))


class SelectionSchema(Schema):
    """Profiles by ids, or every active profile of the kind meeting a filter."""

    ids = ma.fields.List(_id(), validate=Length(min=1, max=MAX_COHORT))
    filter = ma.fields.Nested(SelectionFilterSchema)

    @validates_schema
    def _one_way(self, data, **kwargs):
        if ("ids" in data) == ("filter" in data):
            raise ValidationError([Problem("ids_or_filter")], "_schema")


class OptionsSchema(Schema):
    min_score = Number(load_default=0.0, validate=Range(0.0, 1.0))
    language_required = Flag(load_default=True)
    mentors_per_sme = ma.fields.Integer(load_default=1, strict=True, validate=Range(1, 10))
    objective = ma.fields.String(load_default="total_score", validate=OneOf(OBJECTIVES))
    pinned = _pairs(load_default=list, metadata={"description": "Pairs that must stay"})
    excluded = _pairs(load_default=list, metadata={"description": "Pairs never chosen"})


class CohortRequestSchema(Schema):
    smes = ma.fields.Nested(SelectionSchema, required=True)
    mentors = ma.fields.Nested(SelectionSchema, required=True)
    options = ma.fields.Nested(OptionsSchema, load_default=lambda: OptionsSchema().load({}))
    previous_id = _id(metadata={"description": "A proposal to show the diff against"})


class CohortEditSchema(Schema):
    remove = _pairs(load_default=list)
    add = _pairs(load_default=list)

    @validates_schema
    def _something(self, data, **kwargs):
        if not data.get("remove") and not data.get("add"):
            raise ValidationError([Problem("remove_or_add")], "_schema")


class CohortSchema(Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(COHORT_STATUSES)})
    created_by_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime()
    confirmed_at = ma.fields.AwareDateTime(allow_none=True)
    previous_id = ma.fields.Integer(allow_none=True)
    request = ma.fields.Dict()
    result = ma.fields.Dict(metadata={"description": (
        "pairs [{sme_id, mentor_id, score, pinned, reasons [{code, params, message}]}], "
        "unassigned [{sme_id, reason, missing}], objective, greedy, certified, edited, "
        "declined_excluded, open_excluded and hidden_excluded (pairs ruled out by a declined "
        "or an open introduction, or because either hid the other from its matches), diff, "
        "confirmation")})
