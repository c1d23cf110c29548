"""A schema's dump of plain values, compiled once: what ``schema.dump`` returns, at a fraction
of its cost for the values a presenter already gives (strings, numbers, booleans, datetimes,
lists of those).

marshmallow runs several calls per field and value (``serialize``, ``get_value``,
``_serialize``); a page of 20 profiles is 540 of them, a sixth of the profile list's request.
:func:`plain_dumper` keeps the schema as the contract and its fields' own conversions: a value
whose conversion is the identity (a ``str`` for a String field, an ``int`` for an Integer…) is
taken as it is, a datetime goes through the field's own format function, and anything else
(another type, a field with its own ``_serialize``) goes through the field's ``_serialize``. A
schema with dump hooks, or with a field that reads its value itself (its own ``serialize`` or
``get_value``, a ``Method``), renames it (``data_key``, ``attribute``) or has a
``dump_default``, is dumped by marshmallow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma
from marshmallow import fields

Convert = Callable[[Any], Any]

# The field classes whose ``_serialize`` returns a value of these exact types unchanged
# (and ``None`` as ``None``): String's is ``str(value)``, Integer's ``int(value)`` (unless
# ``as_string``), Float's ``float(value)``, Boolean's ``True``/``False``.
_IDENTITY_TYPES: tuple[tuple[Callable, frozenset[type]], ...] = (
    (fields.String._serialize, frozenset({str})),
    (fields.Boolean._serialize, frozenset({bool})),
)
_NUMBER_TYPES = {fields.Integer: frozenset({int}), fields.Float: frozenset({float})}
_BASE_METHODS = ("serialize", "get_value")


def plain_dumper(schema: ma.Schema) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """Return a function that dumps a mapping of values as ``schema.dump`` would."""
    hooked = schema._hooks[ma.decorators.PRE_DUMP] or schema._hooks[ma.decorators.POST_DUMP]
    if hooked or any(_needs_field(field) for field in schema.dump_fields.values()):
        return schema.dump
    steps = [(name, _converter(name, field)) for name, field in schema.dump_fields.items()]

    def dump(values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: convert(values[name]) for name, convert in steps if name in values}

    return dump


def _needs_field(field: fields.Field) -> bool:
    """Tell whether only the field itself knows where its value comes from or goes to."""
    overridden = any(getattr(type(field), method) is not getattr(fields.Field, method)
                     for method in _BASE_METHODS)
    return (overridden or not field._CHECK_ATTRIBUTE or field.data_key is not None
            or field.attribute is not None or field.dump_default is not ma.missing)


def _converter(name: str, field: fields.Field) -> Convert:
    """Return the field's conversion of one value (present, not ``missing``)."""
    plain = _plain_types(field)
    if plain is not None:
        def convert(value: Any) -> Any:
            if value is None or type(value) in plain:
                return value
            return field._serialize(value, name, None)
        return convert
    if isinstance(field, fields.DateTime) and \
            type(field)._serialize is fields.DateTime._serialize:
        formatted = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if formatted is not None:
            return lambda value: None if value is None else formatted(value)
    if isinstance(field, fields.List) and type(field)._serialize is fields.List._serialize:
        inner = _converter(name, field.inner)
        return lambda value: None if value is None else [inner(each) for each in value]
    return lambda value: field._serialize(value, name, None)


def _plain_types(field: fields.Field) -> frozenset[type] | None:
    """Return the types whose values the field dumps unchanged, if it is such a field."""
    method = type(field)._serialize
    for base, types in _IDENTITY_TYPES:
        if method is base:
            return types
    for cls, types in _NUMBER_TYPES.items():
        if isinstance(field, cls) and method is fields.Number._serialize \
                and type(field)._format_num is cls._format_num and not field.as_string:
            return types
    return None
