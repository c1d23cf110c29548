"""How complete a profile is: the hints that name what would improve its matches.

A pure function of the profile's values (an ORM profile or a mapping), no database and no
Flask: each hint is a code of :mod:`webapp.catalogue.notices` ``HINTS``, worded at the edge.
Hints come in the order they weigh in the ranking (sectors and needs first).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# kind -> (field, hint code) checked in this order; a field that is empty gets its hint.
CHECKS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "sme": (("sectors", "add_sectors"), ("needs", "add_needs"), ("markets", "add_markets"),
            ("languages", "add_languages"), ("needs_text", "add_needs_text"),
            ("products_text", "add_products"), ("export_stage", "add_export_stage"),
            ("description", "add_description")),
    "mentor": (("sectors", "add_sectors"), ("expertise", "add_expertise"),
               ("markets", "add_markets"), ("languages", "add_languages"),
               ("bio", "add_bio")),
    "buyer": (("sectors", "add_sectors"), ("products_text", "add_products"),
              ("sourcing_countries", "add_sourcing_countries"), ("markets", "add_markets"),
              ("languages", "add_languages"), ("description", "add_description")),
}
CONTACT = ("contact_email", "contact_phone")


def _value(profile: Any, name: str) -> Any:
    return profile.get(name) if isinstance(profile, Mapping) else getattr(profile, name, None)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not
                             (value.strip() if isinstance(value, str) else value))


def profile_hints(profile: Any) -> list[str]:
    """Return the hint codes of what the profile lacks, most useful first."""
    kind = _value(profile, "kind")
    hints = [hint for name, hint in CHECKS.get(kind, ()) if _empty(_value(profile, name))]
    if all(_empty(_value(profile, name)) for name in CONTACT):
        hints.append("add_contact")
    return hints


def completeness(profile: Any) -> int:
    """Return the share of the checks the profile meets, in percent (0–100)."""
    checks = len(CHECKS.get(_value(profile, "kind"), ())) + 1
    return round(100 * (checks - len(profile_hints(profile))) / checks)
