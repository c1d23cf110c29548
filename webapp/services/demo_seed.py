"""Load synthetic demo profiles in bulk, and one demo login per role."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, insert, text, update

from models import (
    PROFILE_KINDS,
    Profile,
    ProfileChange,
    ProfileFacet,
    Role,
    User,
    db,
    facet_pairs,
    fields_of,
    utcnow,
)
from webapp.services.accounts import create_user, find_user_by_email
from webapp.services.transactions import write_transaction

DEMO_DOMAIN = "demo.puente.test"


@dataclass(frozen=True)
class SeedReport:
    profiles: int
    seconds: float


def count_profiles() -> int:
    """Return how many profiles exist."""
    return db.session.scalar(db.select(func.count()).select_from(Profile)) or 0


def seed_profiles(smes: int, mentors: int, buyers: int, seed: int,
                  batch_size: int = 5000) -> SeedReport:
    """Insert generated profiles with their facets and change-log rows, a batch per commit."""
    # Imported here: web workers never need Faker and its start-up cost.
    from webapp.demo.generator import generate_profile_batches

    started, total = time.perf_counter(), 0
    for batch in generate_profile_batches(smes, mentors, buyers, seed=seed,
                                          batch_size=batch_size):
        with write_transaction():
            total += _insert_batch(batch)
    refresh_statistics()
    return SeedReport(total, time.perf_counter() - started)


def refresh_statistics() -> None:
    """Run ``ANALYZE`` so the planner knows the tables' new sizes: planning from empty-table
    statistics after a bulk load made the profile list 5x slower."""
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _insert_batch(batch: list[dict]) -> int:
    now = utcnow()
    rows = [_profile_row(item, now) for item in batch]
    ids = db.session.scalars(
        insert(Profile.__table__).returning(Profile.id, sort_by_parameter_order=True), rows
    ).all()
    facets = [{"profile_id": pid, "facet": f, "value": v}
              for pid, row in zip(ids, rows, strict=True)
              for f, v in facet_pairs(row)]
    db.session.execute(insert(ProfileFacet.__table__), facets)
    db.session.execute(insert(ProfileChange.__table__), [
        {"profile_id": pid, "kind": row["kind"], "changed_at": now}
        for pid, row in zip(ids, rows, strict=True)
    ])
    return len(ids)


# Every row carries every column (None where the kind has no such field): executemany needs
# rows of one shape, and batches mix kinds.
ALL_FIELDS = tuple(dict.fromkeys(f for kind in PROFILE_KINDS for f in fields_of(kind)))


def _profile_row(item: dict, now) -> dict:
    own = set(fields_of(item["kind"]))
    row = {name: item.get(name) if name in own else None for name in ALL_FIELDS}
    return {**row, "kind": item["kind"], "created_at": now, "updated_at": now}


def ensure_demo_users(password: str | None = None) -> list[tuple[str, str, int | None]]:
    """Create one login per role (once) and give each profile role a demo profile."""
    password = password or current_app.config["PUENTE_DEMO_PASSWORD"]
    logins = []
    for role in Role:
        email = f"{role.value}@{DEMO_DOMAIN}"
        user = find_user_by_email(email) or create_user(email, password, role.value)
        if role.value in PROFILE_KINDS and user.profile is None:
            _adopt_profile(user, role.value)
        logins.append((email, role.value, user.profile.id if user.profile else None))
    return logins


def _adopt_profile(user: User, kind: str) -> None:
    """Make the user the owner of the first unowned active profile of its kind."""
    profile_id = db.session.scalar(
        db.select(Profile.id).where(Profile.kind == kind, Profile.user_id.is_(None),
                                    Profile.active.is_(True)).order_by(Profile.id).limit(1)
    )
    if profile_id is not None:
        with write_transaction():
            db.session.execute(update(Profile).where(Profile.id == profile_id)
                               .values(user_id=user.id))
        db.session.refresh(user)
