"""Schemas of the matches endpoint."""

import marshmallow as ma

from matcher import CROSS_BORDER_MODES
from matcher import taxonomy as tx
from models import PROFILE_KINDS
from webapp.schemas.base import Schema
from webapp.schemas.validators import OneOf, Range

MAX_K = 50
SUMMARY_FIELDS = ("id", "kind", "name", "country", "subdivision", "city", "sectors",
                  "languages")


class MatchQuerySchema(Schema):
    kind = ma.fields.String(validate=OneOf(PROFILE_KINDS),
                            metadata={"description": "Candidate kind (default by pairing)"})
    k = ma.fields.Integer(load_default=10, validate=Range(1, MAX_K))
    cross_border = ma.fields.String(load_default="any", validate=OneOf(CROSS_BORDER_MODES))
    country = ma.fields.String(validate=OneOf(tx.PROGRAM_COUNTRIES))
    language_required = ma.fields.Boolean(
        metadata={"description": "Drop candidates with no shared language "
                                 "(default: true for mentorship, false for trade)"})
    lang = ma.fields.String(validate=OneOf(tx.LOCALES),
                            metadata={"description": "Language of the reasons' messages"})
    plain = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Program staff only: the ranking by score alone, without "
                                 "the fair-exposure re-ranking"})


class MatchProfileSchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    name = ma.fields.String()
    country = ma.fields.String()
    subdivision = ma.fields.String()
    city = ma.fields.String()
    sectors = ma.fields.List(ma.fields.String())
    languages = ma.fields.List(ma.fields.String())


class ReasonSchema(Schema):
    code = ma.fields.String(metadata={"example": "shared_language"})
    params = ma.fields.Dict(metadata={"example": {"languages": ["es"]}})
    message = ma.fields.String()


class MatchSchema(Schema):
    profile = ma.fields.Nested(MatchProfileSchema)
    score = ma.fields.Float(metadata={"description": "In [0, 1]"})
    factors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(),
                             metadata={"description": "Per-factor similarity in [0, 1]"})
    contributions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(),
                                   metadata={"description": "Weight x similarity (logit)"})
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))


class MatchesSchema(Schema):
    matches = ma.fields.List(ma.fields.Nested(MatchSchema))
    model_version = ma.fields.String()
    exposure_adjusted = ma.fields.Boolean(
        metadata={"description": "Whether the order was re-ranked for fair exposure"})
