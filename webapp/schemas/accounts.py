"""Schemas for sign-in tokens and the current user."""

import marshmallow as ma

from webapp.schemas.base import Schema
from webapp.schemas.fields import Trimmed
from webapp.schemas.validators import Length, refuse

NEW_PASSWORD_RULES = ("At least 8 characters, not only spaces, not among the most common "
                      "passwords, not your e-mail address")


def given_password(value: str) -> None:
    """Refuse a password of only spaces as a missing one, as the sign-in page does (a new
    password is refused alike by the policy, :mod:`webapp.services.passwords`)."""
    if value and not value.strip():  # an empty one is refused once, by its length
        raise refuse("required")


def password_field(description: str, given: bool = True) -> ma.fields.String:
    """Return a required password, read as typed (never trimmed); a ``given`` one (to sign
    in, or to confirm who you are) is refused here when blank, a new one by the policy."""
    rules = [Length(min=1, max=200)] + ([given_password] if given else [])
    return ma.fields.String(required=True, load_only=True, validate=rules,
                            metadata={"description": description})


class TokenRequestSchema(Schema):
    email = ma.fields.String(required=True, validate=Length(min=3, max=254))
    password = password_field("Your password")
    name = Trimmed(load_default="", validate=Length(max=100))  # as the account page keeps it


class PasswordChangeSchema(Schema):
    current_password = password_field("Your current password")
    new_password = password_field(NEW_PASSWORD_RULES + ", not the current password",
                                  given=False)


class PasswordResetRequestSchema(Schema):
    email = ma.fields.String(required=True, validate=Length(min=1, max=254),
                             metadata={"description": "The address of the account"})


class PasswordResetSchema(Schema):
    token = ma.fields.String(required=True, load_only=True, validate=Length(min=1, max=500),
                             metadata={"description": "The token of the e-mailed link "
                                                      "(the last part of /password/reset/…)"})
    new_password = password_field(NEW_PASSWORD_RULES, given=False)


class AccountDeletionSchema(Schema):
    password = password_field("Your current password")


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
    reviews = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The introduction reviews you wrote as staff: rating, comment, flag"})
    messages = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The messages your profile wrote in its introductions"})
    notifications = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "Your in-app notifications: kind, parameters, introduction, times"})
    rankings_shown_to_you = ma.fields.List(ma.fields.Dict(), metadata={
        "description": "The exposure log's rankings shown to your profile: time, pairing and "
                       "the shown profiles' ids in rank order (first ten)"})
    times_you_were_shown = ma.fields.Integer(metadata={
        "description": "How often your profile appeared in others' first ten"})
    outcome_steps = ma.fields.List(ma.fields.Dict(), metadata={"description":
        "Every outcome step of your introductions (stage, status, date, amount as a decimal "
        "string, currency…), with the notes you wrote (null otherwise)"})
    meeting_proposals = ma.fields.List(ma.fields.Dict(), metadata={"description":
        "The meeting proposals you made or picked a time of: times, minutes, your note and "
        "zone (null when the other party proposed), the time picked"})
    match_marks = ma.fields.List(ma.fields.Dict(), metadata={"description":
        "The matches you saved or hid: candidate profile id, mark, time"})
    audit = ma.fields.List(ma.fields.Dict())
