"""The base of every API schema: type and presence errors travel as problem codes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from webapp.errors import Problem
from webapp.schemas.validators import Email

# The code of an "invalid" value, by the field's type (the first class that matches).
INVALID_CODES = ((fields.Email, "invalid_email"), (fields.Integer, "not_integer"),
                 (fields.Number, "not_number"), (fields.DateTime, "invalid_datetime"),
                 (fields.Date, "invalid_date"))
KEY_CODES = {"required": "required", "null": "required", "too_large": "number_too_large",
             "special": "not_number", "invalid_awareness": "timezone_required"}


def code_errors(field: fields.Field) -> None:
    """Replace a field's error messages (and those of its items) by problem codes."""
    invalid = next((code for cls, code in INVALID_CODES if isinstance(field, cls)),
                   "invalid_value")
    field.error_messages = {key: Problem(KEY_CODES.get(key, invalid))
                            for key in field.error_messages}
    if isinstance(field, fields.Email):
        field.validators = [v for v in field.validators if not isinstance(v, validate.Email)]
        field.validators.insert(0, Email())
    for inner in _inner_fields(field):
        code_errors(inner)


def _inner_fields(field: fields.Field) -> list[fields.Field]:
    if isinstance(field, fields.List):
        return [field.inner]
    if isinstance(field, fields.Tuple):
        return list(field.tuple_fields)
    if isinstance(field, fields.Dict) and field.value_field is not None:
        return [field.value_field]
    return []


class Schema(ma.Schema):
    """A marshmallow schema whose refusals are :class:`webapp.errors.Problem` codes."""

    error_messages = {"unknown": Problem("unknown_field"), "type": Problem("invalid_value")}

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        code_errors(field_obj)
