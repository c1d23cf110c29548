"""Schemas for sign-in tokens and the current user."""

import marshmallow as ma

from webapp.schemas.base import Schema
from webapp.schemas.validators import Length


class TokenRequestSchema(Schema):
    email = ma.fields.String(required=True, validate=Length(min=3, max=254))
    password = ma.fields.String(required=True, load_only=True, validate=Length(min=1, max=200))
    name = ma.fields.String(load_default="", validate=Length(max=100))


class PasswordChangeSchema(Schema):
    current_password = ma.fields.String(required=True, load_only=True,
                                        validate=Length(min=1, max=200))
    new_password = ma.fields.String(
        required=True, load_only=True, validate=Length(min=1, max=200),
        metadata={"description": "At least 8 characters, not among the most common passwords, "
                                 "not your e-mail address, not the current password"})


class PasswordResetRequestSchema(Schema):
    email = ma.fields.String(required=True, validate=Length(min=1, max=254),
                             metadata={"description": "The address of the account"})


class PasswordResetSchema(Schema):
    token = ma.fields.String(required=True, load_only=True, validate=Length(min=1, max=500),
                             metadata={"description": "The token of the e-mailed link "
                                                      "(the last part of /password/reset/…)"})
    new_password = ma.fields.String(
        required=True, load_only=True, validate=Length(min=1, max=200),
        metadata={"description": "At least 8 characters, not among the most common passwords, "
                                 "not your e-mail address"})


class AccountDeletionSchema(Schema):
    password = ma.fields.String(required=True, load_only=True, validate=Length(min=1, max=200),
                                metadata={"description": "Your current password"})


class TokenSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "First characters, to recognise it"})
    created_at = ma.fields.AwareDateTime()
    last_used_at = ma.fields.AwareDateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = ma.fields.String(metadata={"description": "The secret; shown only this once"})


class TokenListSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(TokenSchema))


class MeSchema(Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    role = ma.fields.String()
    locale = ma.fields.String()
    email_verified = ma.fields.Boolean(metadata={
        "description": "false until the e-mailed link is followed: the profile is shown to "
                       "nobody else and introductions cannot be requested"})
    profile_id = ma.fields.Integer(allow_none=True)
    profile_kind = ma.fields.String(allow_none=True)


class ExportSchema(Schema):
    account = ma.fields.Dict()
    api_tokens = ma.fields.List(ma.fields.Dict())
    profile = ma.fields.Dict(allow_none=True)
    introductions = ma.fields.List(ma.fields.Dict())
    feedback = ma.fields.List(ma.fields.Dict())
    messages = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The messages your profile wrote in its introductions"})
    notifications = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Your in-app notifications: kind, parameters, introduction, times"})
    rankings_shown_to_you = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The exposure log's rankings shown to your profile: time, pairing and "
                       "the shown profiles' ids in rank order (first ten)"})
    times_you_were_shown = ma.fields.Integer(metadata={
        "description": "How often your profile appeared in others' first ten"})
    audit = ma.fields.List(ma.fields.Dict())
