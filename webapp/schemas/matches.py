"""Schemas of the matches endpoint."""

import marshmallow as ma

from matcher import CROSS_BORDER_MODES
from matcher import taxonomy as tx
from models import PROFILE_KINDS
from webapp.schemas.base import Schema
from webapp.schemas.fields import Lang
from webapp.schemas.validators import Length, OneOf, Range

MAX_K = 50
MAX_DEPTH = 500  # page * per_page: how deep the ranking may be browsed
MAX_QUERY = 100
SAVED_PER_PAGE = 20
MAX_SAVED_PAGE = 10_000
SUMMARY_FIELDS = ("id", "kind", "name", "country", "subdivision", "city", "sectors",
                  "languages")


class MatchQuerySchema(Schema):
    kind = ma.fields.String(validate=OneOf(PROFILE_KINDS),
                            metadata={"description": "Candidate kind (default by pairing)"})
    k = ma.fields.Integer(load_default=10, validate=Range(1, MAX_K),
                          metadata={"description": "Matches per page (same as per_page)"})
    per_page = ma.fields.Integer(validate=Range(1, MAX_K),
                                 metadata={"description": "Matches per page (default: k)"})
    page = ma.fields.Integer(load_default=1, validate=Range(1, MAX_DEPTH),
                             metadata={"description": f"Page number; page x per_page is at "
                                                      f"most {MAX_DEPTH}"})
    q = ma.fields.String(validate=Length(max=MAX_QUERY), metadata={
        "description": "Keep candidates whose name, city or texts contain every word"})
    cross_border = ma.fields.String(load_default="any", validate=OneOf(CROSS_BORDER_MODES))
    country = ma.fields.String(validate=OneOf(tx.PROGRAM_COUNTRIES))
    language_required = ma.fields.Boolean(
        metadata={"description": "Drop candidates with no shared language "
                                 "(default: true for mentorship, false for trade)"})
    lang = Lang(metadata={"description": "Language of the reasons' messages"})
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


class PairIntroductionSchema(Schema):
    id = ma.fields.Integer()
    state = ma.fields.String(metadata={"example": "requested"})
    requested_by_you = ma.fields.Boolean(
        metadata={"description": "Whether this profile asked (else the candidate did)"})


class MatchSchema(Schema):
    profile = ma.fields.Nested(MatchProfileSchema)
    saved = ma.fields.Boolean(metadata={"description": "Saved for later by this profile"})
    introduction = ma.fields.Nested(
        PairIntroductionSchema, allow_none=True,
        metadata={"description": "The latest introduction between the two, if any"})
    score = ma.fields.Float(metadata={"description": "In [0, 1]"})
    factors = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(),
                             metadata={"description": "Per-factor similarity in [0, 1]"})
    contributions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float(),
                                   metadata={"description": "Weight x similarity (logit)"})
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))


class MatchesSchema(Schema):
    matches = ma.fields.List(ma.fields.Nested(MatchSchema))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    has_more = ma.fields.Boolean(metadata={"description": "Whether a next page has matches"})
    model_version = ma.fields.String()
    exposure_adjusted = ma.fields.Boolean(
        metadata={"description": "Whether this order was re-ranked for fair exposure (false "
                              "when the exposure counts could not be read)"})


class SavedQuerySchema(Schema):
    lang = Lang(metadata={"description": "Language of the reasons' messages"})
    per_page = ma.fields.Integer(load_default=SAVED_PER_PAGE, validate=Range(1, MAX_K),
                                 metadata={"description": "Saved matches per page"})
    page = ma.fields.Integer(load_default=1, validate=Range(1, MAX_SAVED_PAGE),
                             metadata={"description": "Page number, from 1"})


class SavedMatchesSchema(Schema):
    matches = ma.fields.List(ma.fields.Nested(MatchSchema))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    has_more = ma.fields.Boolean(metadata={"description": "Whether a next page has matches"})


class MatchMarkSchema(Schema):
    candidate_id = ma.fields.Integer()
    mark = ma.fields.String(metadata={"example": "saved"})
    at = ma.fields.DateTime()
