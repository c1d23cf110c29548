"""Introduction schemas: requests in, the introduction out, list filters and pages."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import marshmallow as ma
from marshmallow import ValidationError, post_load, validates_schema

from models import DECLINE_REASONS, INTRODUCTION_KINDS, INTRODUCTION_STATES
from models.storable import MAX_ID
from webapp.errors import Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import MAX_PAGE, Day, Flag, Trimmed
from webapp.schemas.matches import ReasonSchema
from webapp.schemas.profiles import page_schema
from webapp.schemas.validators import Length, OneOf, Range

MESSAGE_MAX = 2000
COMMENT_MAX = 2000


def _id(strict: bool = True, **kwargs) -> ma.fields.Integer:
    return ma.fields.Integer(strict=strict, validate=Range(1, MAX_ID), **kwargs)


class IntroductionRequestSchema(Schema):
    requester_id = _id(metadata={"description": "The asking profile; default: your own"})
    target_id = _id(required=True)
    message = Trimmed(load_default="", validate=Length(max=MESSAGE_MAX))


class NoBodySchema(Schema):
    """An action without parameters: the body is optional and must be empty."""


class DeclineSchema(Schema):
    reason_code = ma.fields.String(required=True, validate=OneOf(DECLINE_REASONS))
    reason_text = Trimmed(load_default="", validate=Length(max=COMMENT_MAX),
                          metadata={"description": "Shown to the requester"})


class FeedbackRequestSchema(Schema):
    rating = ma.fields.Integer(required=True, strict=True, validate=Range(1, 5),
                               metadata={"description": "1 (poor) to 5 (excellent)"})
    comment = Trimmed(load_default="", validate=Length(max=COMMENT_MAX))


class ReviewRequestSchema(FeedbackRequestSchema):
    flag = Flag(load_default=False, metadata={"description": "Mark for staff follow-up"})


class IntroductionQuerySchema(Schema):
    page = ma.fields.Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=20, validate=Range(min=1, max=100))
    state = ma.fields.String(validate=OneOf(INTRODUCTION_STATES))
    kind = ma.fields.String(validate=OneOf(sorted(INTRODUCTION_KINDS.values())))
    direction = ma.fields.String(validate=OneOf(("sent", "received")), metadata={
        "description": "Your requests (sent) or those made to you (received)"})
    profile_id = _id(strict=False, metadata={"description": "Involving this profile"})
    created_from = Day(metadata={"description": "Created on or after (UTC)"})
    created_to = Day(metadata={"description": "Created on or before (UTC)"})

    @validates_schema
    def check_range(self, data, **kwargs):
        """Refuse a date range that ends before it starts."""
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and end < start:
            raise ValidationError([Problem("not_before", other="created_from")], "created_to")

    @post_load
    def to_instants(self, data, **kwargs):
        """Turn the dates into UTC instants: from the start of one day to the end of another."""
        if "created_from" in data:
            data["created_from"] = datetime.combine(data["created_from"], time(), UTC)
        if "created_to" in data:
            data["created_to"] = datetime.combine(data["created_to"] + timedelta(days=1),
                                                  time(), UTC)
        return data


class PartySchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    name = ma.fields.String()
    country = ma.fields.String()
    subdivision = ma.fields.String()
    city = ma.fields.String(allow_none=True)
    contact_email = ma.fields.String(allow_none=True, metadata={
        "description": "Only once accepted, only to the two parties and admins"})
    contact_phone = ma.fields.String(allow_none=True)


class MatchSnapshotSchema(Schema):
    score = ma.fields.Float(allow_none=True)
    model_version = ma.fields.String(allow_none=True)
    factors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    contributions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))


class FeedbackSchema(Schema):
    profile_id = ma.fields.Integer()
    rating = ma.fields.Integer()
    comment = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class ReviewSchema(Schema):
    reviewer_id = ma.fields.Integer(allow_none=True)
    rating = ma.fields.Integer()
    comment = ma.fields.String()
    flag = ma.fields.Boolean()
    created_at = ma.fields.AwareDateTime()


class IntroductionSchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"example": "sme_mentor"})
    state = ma.fields.String(metadata={"example": "requested"})
    origin = ma.fields.String(metadata={
        "example": "member", "description": "member: the requester asked for it; program: "
        "the program's coordinators introduced the two (a confirmed cohort)"})
    requester = ma.fields.Nested(PartySchema)
    target = ma.fields.Nested(PartySchema)
    message = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()
    expires_at = ma.fields.AwareDateTime(allow_none=True, metadata={
        "description": "When an unanswered request expires"})
    responded_at = ma.fields.AwareDateTime(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    decline_reason_code = ma.fields.String(allow_none=True)
    decline_reason_text = ma.fields.String(allow_none=True)
    match = ma.fields.Nested(MatchSnapshotSchema, allow_none=True, metadata={
        "description": "The match as scored when the introduction was requested"})
    feedback = ma.fields.List(ma.fields.Nested(FeedbackSchema), metadata={
        "description": "Your own feedback; all of it for staff"})
    reviews = ma.fields.List(ma.fields.Nested(ReviewSchema), metadata={
        "description": "Staff reviews (staff only)"})


IntroductionPageSchema = page_schema(IntroductionSchema)
