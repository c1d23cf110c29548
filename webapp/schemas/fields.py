"""Marshmallow fields and validators shared by the API schemas, backed by the taxonomy."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import marshmallow as ma

from matcher import taxonomy as tx
from webapp.catalogue.text import language_of_tag
from webapp.errors import Problem
from webapp.schemas.validators import Length, refuse

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
"""The days a period's filter may name: the impact report's years (a day beyond them meant
nothing to the program, and the last day a date can be overflowed the day after it)."""


class Lang(ma.fields.String):
    """The language of an answer (``lang``): a language tag of en, es or fr whatever its case
    and region ("ES", "fr-CA"), loaded as the language's code; any other is refused
    (``not_one_of``). Documented as the three codes."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {"enum": list(tx.LOCALES), **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        language = language_of_tag(super()._deserialize(value, attr, data, **kwargs))
        if language is None:
            raise refuse("not_one_of", choices=list(tx.LOCALES))
        return language


def check_day(day: date) -> date:
    """Return the day if a period may name it; else refuse it (``date_out_of_range``)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise refuse("date_out_of_range", min=FIRST_DAY.isoformat(), max=LAST_DAY.isoformat())
    return day


CODE_FILTERS: Mapping[str, Callable[[str], bool]] = {
    "sector": lambda code: tx.naics_filter_code(code) is not None, "language": tx.is_language,
    "need": tx.is_need, "expertise": tx.is_need}


MAX_PAGE = 100_000
"""The deepest page a list gives (API and pages alike)."""


def filter_code(name: str, value: str) -> str:
    """Return the stored code a (checked) code filter selects: a sector written as a
    two-digit part of a range is that sector ("31" -> "31-33"); others as given."""
    return (tx.naics_filter_code(value) or value) if name == "sector" else value


def code_problems(filters: Mapping[str, Any], country: str | None = None) -> dict[str, Problem]:
    """Return the problem of each filter whose code is not in the reference data: a sector,
    language, need or expertise code, and a subdivision: unknown in every program country,
    or, with ``country``, one of another country (as the profile's own check names it). A
    typo in a filter would select no one."""
    problems = {name: Problem("unknown_code", codes=[filters[name]])
                for name, known in CODE_FILTERS.items()
                if name in filters and not known(filters[name])}
    subdivision = filters.get("subdivision")
    if "subdivision" not in filters:
        return problems
    if not any(tx.is_subdivision(subdivision, code) for code in tx.PROGRAM_COUNTRIES):
        problems["subdivision"] = Problem("unknown_subdivision", codes=[subdivision])
    elif country and not tx.is_subdivision(subdivision, country):
        problems["subdivision"] = Problem("not_a_subdivision", country=country,
                                          subdivision=subdivision)
    return problems


class Number(ma.fields.Float):
    """A finite JSON number (a string of digits is refused, unlike marshmallow's Float)."""

    def __init__(self, **kwargs):
        super().__init__(allow_nan=False, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Flag(ma.fields.Boolean):
    """A JSON true or false (marshmallow's Boolean also takes "yes", 1, "on"…).

    For bodies only: a query string's booleans are words (``?active=false``)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDate(ma.fields.Date):
    """A day written YYYY-MM-DD, the form the API documents. Python's parser (marshmallow's)
    also reads "20261207" and week dates ("2026-W50-1"): taken silently, a client's mistake
    would be stored as some day it may not have meant (``invalid_date`` instead)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Day(IsoDate):
    """A day (YYYY-MM-DD) bounding a period, from :data:`FIRST_DAY` to :data:`LAST_DAY`."""

    def _deserialize(self, value, attr, data, **kwargs):
        return check_day(super()._deserialize(value, attr, data, **kwargs))


class Trimmed(ma.fields.String):
    """A string with surrounding whitespace and invisible format characters (zero-width
    spaces, a byte-order mark: Unicode's Cf) removed, so a name of nothing visible is blank;
    in Unicode's composed form (NFC: "é" typed as e and a combining accent is one letter, as
    searches, repeats and lengths count it)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs))
        start, end = 0, len(text)
        while start < end and _blank(text[start]):
            start += 1
        while end > start and _blank(text[end - 1]):
            end -= 1
        return text[start:end]


class TrimmedEmail(Trimmed, ma.fields.Email):
    """An e-mail address without the whitespace pasted around it (checked after trimming: a
    space inside it is still no address)."""


def _blank(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def known_codes(check: Callable[[str], bool], unknown: str) -> Callable:
    """Return a list validator that names every unknown code (problem ``unknown``)."""

    def validate(values: list[str]) -> None:
        bad = [v for v in values if not check(v)]
        if bad:
            raise refuse(unknown, codes=[str(v) for v in bad[:5]])

    return validate


def unique(values: list) -> list:
    """Return the list without repeats, keeping the first occurrence's order."""
    return list(dict.fromkeys(values))


class BoundedSet(ma.fields.List):
    """A set sent as a JSON array: at most ``max_items`` items as sent (repeats count, so
    the published ``maxItems`` holds), stored without repeats, order kept."""

    def __init__(self, inner: ma.fields.Field, max_items: int, min_items: int = 0,
                 **kwargs):
        self.max_items = max_items
        validators = [Length(min=min_items or None, max=max_items)]
        extra = kwargs.pop("validate", None)
        validators += [extra] if callable(extra) else list(extra or ())
        super().__init__(inner, validate=validators, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list | tuple) and len(value) > self.max_items:
            raise refuse("too_many_items", num=self.max_items)
        return self._without_repeats(super()._deserialize(value, attr, data, **kwargs))

    def _without_repeats(self, values: list) -> list:
        return unique(values)


class CodeList(BoundedSet):
    """A set of codes from a vocabulary: validated, de-duplicated, order kept."""

    def __init__(self, check: Callable[[str], bool], unknown: str, max_items: int,
                 min_items: int = 0, **kwargs):
        super().__init__(Trimmed(validate=Length(max=40)), max_items, min_items,
                         validate=known_codes(check, unknown), **kwargs)


class NameList(BoundedSet):
    """A set of short free-text names (e.g. certifications): trimmed, without repeats
    (whatever their case)."""

    def __init__(self, max_items: int = 30, **kwargs):
        super().__init__(Trimmed(validate=Length(min=1, max=100)), max_items, **kwargs)

    def _without_repeats(self, values: list) -> list:
        seen: dict[str, str] = {}
        for name in values:
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
