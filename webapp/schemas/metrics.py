"""Metrics schemas: the filters in, the figures out."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import ValidationError, validates_schema

from models import INTRODUCTION_KINDS
from webapp.errors import Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import Day
from webapp.schemas.validators import OneOf

COUNTRIES = ("US", "MX", "CA")


class MetricsQuerySchema(Schema):
    from_ = Day(data_key="from", attribute="from",
                           metadata={"description": "First day (UTC) of creation"})
    to = Day(metadata={"description": "Last day (UTC) of creation, included"})
    country = ma.fields.String(validate=OneOf(COUNTRIES),
                               metadata={"description": "Either party's country"})
    kind = ma.fields.String(validate=OneOf(sorted(INTRODUCTION_KINDS.values())))

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise ValidationError([Problem("not_before", other="from")], "to")


def _count(description: str) -> ma.fields.Integer:
    return ma.fields.Integer(metadata={"description": description})


def _share(description: str) -> ma.fields.Float:
    return ma.fields.Float(allow_none=True, metadata={"description": description})


class StatePeriodSchema(Schema):
    start = ma.fields.String(metadata={"format": "date", "description": "First day"})
    requested = _count("Created in the period and still requested")
    accepted = _count("Created in the period and now accepted")
    completed = _count("Created in the period and now completed")
    declined = _count("Created in the period and declined")
    withdrawn = _count("Created in the period and withdrawn")
    expired = _count("Created in the period and expired")
    total = _count("Created in the period")


class StatesOverTimeSchema(Schema):
    bucket = ma.fields.String(validate=OneOf(("day", "week", "month")), metadata={
        "description": "day up to 31 days, ISO week (from Monday) up to 53 weeks, else month"})
    periods = ma.fields.List(ma.fields.Nested(StatePeriodSchema), metadata={
        "description": "Every period of the range, empty ones included"})


class RatingQualitySchema(Schema):
    requesters = _count("Requester profiles with a rated introduction")
    rated = _count("Rated introductions")
    precision_at_k = _share("Mean over requesters of the share rated >= relevant_rating")
    ndcg_at_k = _share("Mean over requesters of NDCG@k with gain rating - 1")


class RankingQualitySchema(Schema):
    k = ma.fields.Integer()
    relevant_rating = ma.fields.Integer()
    reviews = ma.fields.Nested(RatingQualitySchema,
                               metadata={"description": "From coordinators' reviews"})
    feedback = ma.fields.Nested(RatingQualitySchema,
                                metadata={"description": "From the parties' feedback"})


class ImpressionsByKindSchema(Schema):
    sme = ma.fields.Integer()
    mentor = ma.fields.Integer()
    buyer = ma.fields.Integer()


class ExposureGroupSchema(Schema):
    profiles = _count("Active SME profiles in the group")
    impressions = _count("Times SMEs of the group were shown in a top 10")
    share_of_profiles = _share("The group's part of the active SME profiles")
    share_of_impressions = _share("The group's part of the SME impressions")
    per_profile = _share("Impressions per active SME profile of the group")


class ExposureSchema(Schema):
    rankings = _count("Rankings with at least one impression counted")
    impressions = _count("Profiles shown in the top 10 of those rankings")
    by_kind = ma.fields.Nested(ImpressionsByKindSchema)
    by_sme_country = ma.fields.Dict(keys=ma.fields.String(),
                                    values=ma.fields.Nested(ExposureGroupSchema))
    by_ownership = ma.fields.Dict(keys=ma.fields.String(),
                                  values=ma.fields.Nested(ExposureGroupSchema))


class MetricsSchema(Schema):
    filters = ma.fields.Dict()
    introductions = ma.fields.Integer()
    by_state = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    acceptance_rate = ma.fields.Float(allow_none=True)
    median_hours_to_answer = ma.fields.Float(allow_none=True)
    acceptance_by_score_decile = ma.fields.List(ma.fields.Dict())
    outcomes_by_score_decile = ma.fields.List(ma.fields.Dict())
    cross_border = ma.fields.Dict()
    acceptance_by_sme_country = ma.fields.Dict()
    acceptance_by_ownership = ma.fields.Dict()
    mentor_utilisation = ma.fields.Dict()
    model = ma.fields.Dict(allow_none=True)
    by_state_over_time = ma.fields.Nested(StatesOverTimeSchema)
    ranking_quality = ma.fields.Nested(RankingQualitySchema)
    exposure = ma.fields.Nested(ExposureSchema)
