"""Who can be picked in the program's forms: listed profiles by kind, by name.

The cohort form offers them in a searchable list (a ``<datalist>``), so staff choose people
by name and place rather than type numeric ids. Names and places only; no contact details.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from models import Profile, User, db
from webapp import policy
from webapp.errors import Forbidden

MAX_PEOPLE = 5000  # a program's cohort sizes; beyond it the ids can still be typed


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    city: str
    country: str


def people(user: User, kind: str, limit: int = MAX_PEOPLE) -> list[Person]:
    """Return the listed profiles of ``kind`` by name (staff who run cohorts only)."""
    if not policy.may_run_cohorts(user):
        raise Forbidden("forbidden")
    rows = db.session.execute(
        select(Profile.id, Profile.name, Profile.city, Profile.country)
        .where(Profile.kind == kind, policy.listed_profiles())
        .order_by(Profile.name, Profile.id).limit(limit))
    return [Person(*row) for row in rows]
