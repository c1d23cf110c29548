"""Marshmallow fields and validators shared by the API schemas, backed by the taxonomy."""

from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma

from matcher import taxonomy as tx
from webapp.schemas.validators import Length, refuse


class Trimmed(ma.fields.String):
    """A string with surrounding whitespace removed."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def code_list(check: Callable[[str], bool], unknown: str, max_items: int,
              min_items: int = 0) -> Callable:
    """Return a list validator that names every unknown code (problem ``unknown``) and bounds
    the length."""

    def validate(values: list[str]) -> None:
        bad = [v for v in values if not check(v)]
        if bad:
            raise refuse(unknown, codes=[str(v) for v in bad[:5]])
        if len(values) > max_items:
            raise refuse("too_many_items", num=max_items)
        if len(values) < min_items:
            raise refuse("choose_one" if min_items == 1 else "too_few_items", num=min_items)

    return validate


def unique(values: list) -> list:
    """Return the list without repeats, keeping the first occurrence's order."""
    return list(dict.fromkeys(values))


class CodeList(ma.fields.List):
    """A list of codes from a vocabulary: validated, de-duplicated, order kept."""

    def __init__(self, check: Callable[[str], bool], unknown: str, max_items: int,
                 min_items: int = 0, **kwargs):
        kwargs.setdefault("validate", code_list(check, unknown, max_items, min_items))
        super().__init__(Trimmed(validate=Length(max=40)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return unique(super()._deserialize(value, attr, data, **kwargs))


class NameList(ma.fields.List):
    """A list of short free-text names (e.g. certifications): trimmed, without repeats."""

    def __init__(self, max_items: int = 30, **kwargs):
        kwargs.setdefault("validate", Length(max=max_items))
        super().__init__(Trimmed(validate=Length(min=1, max=100)), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        seen: dict[str, str] = {}
        for name in super()._deserialize(value, attr, data, **kwargs):
            seen.setdefault(name.casefold(), name)
        return list(seen.values())


def is_need(code: str) -> bool:
    """Tell whether the code is in the needs vocabulary."""
    return tx.is_need(code)


def naics_codes(**kwargs) -> CodeList:
    return CodeList(tx.is_naics_code, "unknown_naics", 10, 1, **kwargs)


def language_codes(**kwargs) -> CodeList:
    return CodeList(tx.is_language, "unknown_language", 12, 1, **kwargs)


def country_codes(**kwargs) -> CodeList:
    return CodeList(tx.is_country_code, "unknown_country", 60, **kwargs)


def need_codes(**kwargs) -> CodeList:
    return CodeList(is_need, "unknown_need", len(tx.NEED_CODES), **kwargs)
