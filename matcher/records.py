"""The profile record the engine ranks: a plain, immutable view of one profile row.

The web layer converts database rows (or API payloads) to :class:`ProfileRecord`; the engine
never sees an ORM object. Field names are the API's field names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .errors import InvalidRecordError

__all__ = ["KINDS", "OWNERSHIP_GROUPS", "ProfileRecord"]

KINDS: tuple[str, ...] = ("sme", "mentor", "buyer")
OWNERSHIP_GROUPS: tuple[str, ...] = ("women", "indigenous", "minority", "veteran")
"""Self-declared ownership groups of an SME, and the groups a buyer's diversity goals name."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ProfileRecord:
    """One SME, mentor or buyer profile, as the matcher sees it.

    Every field but ``id``, ``kind`` and ``country`` has a default, so a record holds only what
    its kind uses. ``ownership`` (an SME's opt-in, self-declared groups) never ranks an SME
    down; it counts only toward a buyer's ``diversity_goals`` (the groups it seeks suppliers
    from), both sides having stated them.
    ``capacity_left`` is a mentor's capacity minus its active mentees (None: unknown or
    unlimited); a mentor with ``capacity_left == 0`` or ``paused`` is never ranked.
    """

    id: int
    kind: str
    name: str = ""
    country: str
    subdivision: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    sectors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    description: str = ""
    active: bool = True
    # SME
    needs: tuple[str, ...] = ()
    needs_text: str = ""
    products_text: str = ""
    employees: str | None = None
    export_stage: str | None = None
    certifications: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()
    # mentor
    expertise: tuple[str, ...] = ()
    bio: str = ""
    capacity: int | None = None
    mode: str | None = None
    capacity_left: int | None = None
    paused: bool = False
    # buyer
    required_certifications: tuple[str, ...] = ()
    sourcing_countries: tuple[str, ...] = ()
    volume: str | None = None
    diversity_goals: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidRecordError(f"unknown profile kind {self.kind!r}; expected {KINDS}")
        if isinstance(self.id, bool) or not isinstance(self.id, int):
            raise InvalidRecordError(f"profile id must be an int, not {self.id!r}")

    @property
    def located(self) -> bool:
        """Tell whether the profile has finite coordinates."""
        return _finite(self.latitude) and _finite(self.longitude)

    @property
    def eligible(self) -> bool:
        """Tell whether the profile may appear in a ranking (active, not paused, not full)."""
        return self.active and not self.paused and self.capacity_left != 0

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> ProfileRecord:
        """Build a record from a mapping, ignoring unknown keys.

        Lists become tuples and ``None`` becomes the field's empty value for tuple and text
        fields.

        Raises
        ------
        InvalidRecordError
            If ``id``, ``kind`` or ``country`` is missing or the kind is unknown.
        """
        missing = [key for key in ("id", "kind", "country") if mapping.get(key) is None]
        if missing:
            raise InvalidRecordError(f"profile is missing {', '.join(missing)}")
        values = {name: _coerce(name, mapping[name]) for name in _FIELDS if name in mapping}
        return cls(**values)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


_FIELDS = {f.name: f for f in fields(ProfileRecord)}
_TUPLE_FIELDS = frozenset(name for name, f in _FIELDS.items() if "tuple" in str(f.type))
_TEXT_FIELDS = frozenset(("name", "description", "needs_text", "products_text", "bio"))


def _coerce(name: str, value: Any) -> Any:
    if name in _TUPLE_FIELDS:
        return tuple(value) if value is not None else ()
    if name in _TEXT_FIELDS:
        return "" if value is None else str(value)
    return value
