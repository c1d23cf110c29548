"""In-app notice schemas: the list filters in, the notices out, and which to mark read."""

from __future__ import annotations

import marshmallow as ma

from models.storable import MAX_ID
from webapp.catalogue.notices import NOTICE_KINDS
from webapp.schemas.base import Schema
from webapp.schemas.fields import MAX_PAGE, Lang
from webapp.schemas.validators import Length, Range


class NoticeQuerySchema(Schema):
    page = ma.fields.Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=20, validate=Range(min=1, max=100))
    unread = ma.fields.Boolean(load_default=False,
                               metadata={"description": "Only the unread notices"})
    lang = Lang(metadata={
        "description": "Language of the messages (default: your preference)"})


class NoticeSchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "One of " + ", ".join(NOTICE_KINDS)})
    message = ma.fields.String(metadata={"description": "The notice in your language"})
    params = ma.fields.Dict(metadata={"description": "Names and codes the message is made of"})
    introduction_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime()
    read_at = ma.fields.DateTime(allow_none=True)


class NoticePageSchema(Schema):
    items = ma.fields.List(ma.fields.Nested(NoticeSchema))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer(metadata={"description": "How many notices match the filter"})
    unread = ma.fields.Integer(metadata={"description": "How many of your notices are unread"})


class MarkReadSchema(Schema):
    ids = ma.fields.List(ma.fields.Integer(validate=Range(min=1, max=MAX_ID)),
                         validate=Length(min=1, max=500), metadata={
                             "description": "The notices to mark read; leave out for all"})


class MarkedSchema(Schema):
    marked = ma.fields.Integer(metadata={"description": "How many notices were unread"})
    unread = ma.fields.Integer(metadata={"description": "How many are unread now"})
