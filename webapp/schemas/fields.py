"""Marshmallow fields and validators shared by the API schemas, backed by the taxonomy."""

from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma
from marshmallow import ValidationError

from matcher import taxonomy as tx


class Trimmed(ma.fields.String):
    """A string with surrounding whitespace removed."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def code_list(check: Callable[[str], bool], what: str, max_items: int,
              min_items: int = 0) -> Callable:
    """Return a list validator that names every unknown code and bounds the length."""

    def validate(values: list[str]) -> None:
        bad = [v for v in values if not check(v)]
        if bad:
            raise ValidationError(f"Unknown {what}: {', '.join(map(str, bad[:5]))}.")
        if len(values) > max_items:
            raise ValidationError(f"At most {max_items} items.")
        if len(values) < min_items:
            raise ValidationError(f"Give at least {min_items}.")

    return validate


def unique(values: list) -> list:
    """Return the list without repeats, keeping the first occurrence's order."""
    return list(dict.fromkeys(values))


class CodeList(ma.fields.List):
    """A list of codes from a vocabulary: validated, de-duplicated, order kept."""

    def __init__(self, check: Callable[[str], bool], what: str, max_items: int,
                 min_items: int = 0, **kwargs):
        kwargs.setdefault("validate", code_list(check, what, max_items, min_items))
        super().__init__(Trimmed(validate=ma.validate.Length(max=40)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return unique(super()._deserialize(value, attr, data, **kwargs))


class NameList(ma.fields.List):
    """A list of short free-text names (e.g. certifications): trimmed, without repeats."""

    def __init__(self, max_items: int = 30, **kwargs):
        kwargs.setdefault("validate", ma.validate.Length(max=max_items))
        super().__init__(Trimmed(validate=ma.validate.Length(min=1, max=100)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        seen: dict[str, str] = {}
        for name in super()._deserialize(value, attr, data, **kwargs):
            seen.setdefault(name.casefold(), name)
        return list(seen.values())


def is_need(code: str) -> bool:
    """Tell whether the code is in the needs vocabulary."""
    return tx.is_need(code)


def naics_codes(**kwargs) -> CodeList:
    return CodeList(tx.is_naics_code, "NAICS 2022 code", 10, 1, **kwargs)


def language_codes(**kwargs) -> CodeList:
    return CodeList(tx.is_language, "ISO 639 language code", 12, 1, **kwargs)


def country_codes(**kwargs) -> CodeList:
    return CodeList(tx.is_country_code, "ISO 3166-1 alpha-2 country code", 60, **kwargs)


def need_codes(**kwargs) -> CodeList:
    return CodeList(is_need, "need code", len(tx.NEED_CODES), **kwargs)
