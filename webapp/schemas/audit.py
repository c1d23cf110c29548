"""Audit log schemas: the filters in, the entries out."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import marshmallow as ma
from marshmallow import ValidationError, post_load, validates_schema

from models.storable import MAX_ID
from webapp.errors import Problem
from webapp.schemas.base import Schema
from webapp.schemas.fields import MAX_PAGE, Day
from webapp.schemas.profiles import page_schema
from webapp.schemas.validators import Length, Range


class AuditQuerySchema(Schema):
    page = ma.fields.Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=Range(min=1, max=100))
    action = ma.fields.String(validate=Length(min=1, max=40), metadata={
        "description": "An action (auth.login) or, ending in a dot, a family (auth.)"})
    actor_id = ma.fields.Integer(validate=Range(min=1, max=MAX_ID),
                                 metadata={"description": "The user who acted"})
    object_type = ma.fields.String(validate=Length(min=1, max=20), metadata={
        "description": "user, introduction…; a profile's writes are under its kind (sme, "
                       "mentor, buyer); profile reads them and the refusals about it"})
    object_id = ma.fields.Integer(validate=Range(min=1, max=MAX_ID))
    from_ = Day(data_key="from", attribute="since",
                           metadata={"description": "First day (UTC)"})
    to = Day(attribute="until", metadata={"description": "Last day (UTC), included"})

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError([Problem("not_before", other="from")], "to")

    @post_load
    def _instants(self, data, **kwargs):
        if "since" in data:
            data["since"] = datetime.combine(data["since"], time(), UTC)
        if "until" in data:
            data["until"] = datetime.combine(data["until"] + timedelta(days=1), time(), UTC)
        return data


class AuditEntrySchema(Schema):
    id = ma.fields.Integer()
    at = ma.fields.DateTime()
    actor_id = ma.fields.Integer(allow_none=True)
    action = ma.fields.String()
    object_type = ma.fields.String()
    object_id = ma.fields.Integer(allow_none=True)
    details = ma.fields.Dict(metadata={"description": "Ids, codes and counts only"})


AuditPageSchema = page_schema(AuditEntrySchema)
