"""The one merge-then-validate of a partial profile update: the stored row plus the changes.

The API's PATCH and the web editor both call it, inside the update's transaction and on the
locked row, so the profile validated is the one that gets stored: two concurrent edits can
never leave a combination (a country with another country's subdivision) that neither
validated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from marshmallow import Schema, ValidationError

from models import Profile
from webapp.errors import invalid_messages

LOCATION_FIELDS = ("country", "subdivision", "city")


def merged_profile(schema: Schema, profile: Profile, changes: Mapping[str, Any], *,
                   replaced: Collection[str] = ()) -> dict[str, Any]:
    """Return the profile as it will be after the changes, validated by the schema.

    ``changes`` are input values as a client sends them. ``replaced`` names the fields the
    caller answers for in full (a form's fields): their stored values are dropped even when
    ``changes`` leaves them out, so the schema's default (or its "required") applies. When the
    place changes and no coordinates come with it, they are looked up again from the city.
    Raises InvalidInput with the schema's messages by field.
    """
    stored = {k: v for k, v in schema.dump(profile).items() if k in schema.load_fields}
    merged = {**{k: v for k, v in stored.items() if k not in replaced}, **changes}
    moved = any(merged.get(k) != stored.get(k) for k in LOCATION_FIELDS)
    if moved and "latitude" not in changes:
        merged["latitude"] = merged["longitude"] = None
    try:
        return schema.load(merged)
    except ValidationError as err:
        raise invalid_messages(err.normalized_messages()) from err
