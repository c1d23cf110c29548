"""Schemas of an introduction's messages and meeting proposals."""

from __future__ import annotations

import marshmallow as ma

from models.conversations import MAX_TIMES, MEETING_MINUTES, MESSAGE_MAX, NOTE_MAX
from webapp.schemas.base import Schema
from webapp.schemas.fields import Trimmed
from webapp.schemas.validators import Length, Range

TIME_HELP = ("ISO 8601; a time without an offset is read in your profile's time zone "
             "(from its place)")


class MessageRequestSchema(Schema):
    body = Trimmed(required=True, validate=Length(min=1, max=MESSAGE_MAX),
                   metadata={"description": "Plain text, shown to the other party"})


class MessageSchema(Schema):
    id = ma.fields.Integer()
    profile_id = ma.fields.Integer(metadata={"description": "The author's profile"})
    body = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class MessageListSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(MessageSchema))


class MeetingRequestSchema(Schema):
    times = ma.fields.List(ma.fields.DateTime(metadata={"description": TIME_HELP}),
                           required=True, validate=Length(min=1, max=MAX_TIMES))
    minutes = ma.fields.Integer(load_default=60, strict=True, validate=Range(*MEETING_MINUTES))
    note = Trimmed(load_default="", validate=Length(max=NOTE_MAX))


class PickRequestSchema(Schema):
    time = ma.fields.DateTime(required=True, metadata={"description": TIME_HELP})


class MeetingSchema(Schema):
    id = ma.fields.Integer()
    proposer_id = ma.fields.Integer(metadata={"description": "The proposing profile"})
    mine = ma.fields.Boolean(metadata={"description": "You proposed it (the other side picks)"})
    minutes = ma.fields.Integer()
    note = ma.fields.String()
    proposer_zone = ma.fields.String(metadata={"description": "The zone the times were "
                                               "proposed in"})
    zone = ma.fields.String(metadata={"description": "Your zone: the times are shown in it"})
    times = ma.fields.List(ma.fields.AwareDateTime())
    picked_time = ma.fields.AwareDateTime(allow_none=True)
    picked_by_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class MeetingListSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(MeetingSchema))
