"""SME, mentor and buyer profiles (single-table inheritance) and their search facets.

List-valued fields (sectors, languages, …) are stored as JSON arrays on the profile. To filter
them portably on SQLite and PostgreSQL, every profile also has rows in ``profile_facets``
(facet, value), kept in step by a flush listener: sectors are stored with all their NAICS
prefixes so that a sector filter is an indexed equality test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    and_,
    event,
    false,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from matcher.taxonomy import naics_lineage
from models.base import IDS_NEVER_REUSED, db, utcnow
from models.users import User

PROFILE_KINDS = ("sme", "mentor", "buyer")

COMMON_FIELDS = (
    "name", "country", "subdivision", "city", "latitude", "longitude", "sectors", "languages",
    "markets", "description", "contact_email", "contact_phone", "active",
)
KIND_FIELDS = {
    "sme": ("needs", "needs_text", "products_text", "employees", "export_stage",
            "certifications", "ownership"),
    "mentor": ("expertise", "bio", "capacity", "mode"),
    "buyer": ("products_text", "required_certifications", "sourcing_countries", "volume",
              "diversity_goals"),
}
CONTACT_FIELDS = ("contact_email", "contact_phone")
# facet name -> profile attribute (sectors are expanded to their NAICS prefixes separately).
FACET_SOURCES = {"language": "languages", "need": "needs", "expertise": "expertise",
                 "market": "markets"}


def fields_of(kind: str) -> tuple[str, ...]:
    """Return the contract field names of a profile kind."""
    return COMMON_FIELDS + KIND_FIELDS[kind]


class Profile(db.Model):
    __tablename__ = "profiles"
    __table_args__ = (
        Index("ix_profiles_kind_country", "kind", "country"),
        # A list pages one kind in id order: without it, buyers' pages scan the mentors first.
        Index("ix_profiles_kind_id", "kind", "id"),
        # ... on PostgreSQL from the kind's own index of ids, smaller than the primary key,
        # which it otherwise walks past every profile of the kinds loaded before (it takes the
        # (kind, id) index for dearer when the kind is most rows). SQLite keeps the (kind, id)
        # one. The list names its kind as a literal, for a partial index to apply.
        *(Index(f"ix_profiles_{kind}_id", "id", postgresql_where=text(f"kind = '{kind}'"),
                sqlite_where=text(f"kind = '{kind}'")) for kind in PROFILE_KINDS),
        # A list's total counts one kind's listed rows: on PostgreSQL from this index alone
        # (with the owner, whose address must be verified), not from every row's page.
        Index("ix_profiles_kind_active", "kind", "active", postgresql_include=["user_id"]),
        # A mentor's accepted-and-not-completed introductions never exceed its capacity: the
        # accept use case increments active_count conditionally, and these hold it there.
        CheckConstraint("active_count >= 0", name="active_count_not_negative"),
        CheckConstraint("capacity IS NULL OR active_count <= capacity",
                        name="active_count_within_capacity"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[str] = mapped_column(String(6))
    city: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    sectors: Mapped[list] = mapped_column(default=list)
    languages: Mapped[list] = mapped_column(default=list)
    markets: Mapped[list] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # SME
    needs: Mapped[list | None]
    needs_text: Mapped[str | None] = mapped_column(Text)
    products_text: Mapped[str | None] = mapped_column(Text)  # SME offer / buyer products sought
    employees: Mapped[str | None] = mapped_column(String(10))
    export_stage: Mapped[str | None] = mapped_column(String(12))
    certifications: Mapped[list | None]
    ownership: Mapped[list | None]
    # Mentor
    expertise: Mapped[list | None]
    bio: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int | None]
    mode: Mapped[str | None] = mapped_column(String(10))
    # Buyer
    required_certifications: Mapped[list | None]
    sourcing_countries: Mapped[list | None]
    volume: Mapped[str | None] = mapped_column(String(10))
    # Ownership groups (as SMEs declare them) the buyer seeks suppliers from; opt-in.
    diversity_goals: Mapped[list | None]
    # Introductions: load, availability and responsiveness. active_count and the request
    # counters are changed only by conditional SQL updates in the introduction use cases.
    active_count: Mapped[int] = mapped_column(default=0, server_default="0")
    paused: Mapped[bool] = mapped_column(default=False, server_default=false())
    available_until: Mapped[datetime | None] = mapped_column(index=True)
    # Paused until this day (UTC): back in the rankings on that day, with no job to run.
    paused_until: Mapped[date | None] = mapped_column(Date, index=True)
    last_active_at: Mapped[datetime | None]
    # Set when the profile was retired (its account or the profile deleted while it had
    # introductions): the row stays, emptied, for its counterparts and the program figures,
    # and pages name it "deleted profile" in the reader's language.
    retired_at: Mapped[datetime | None]
    requests_answered: Mapped[int] = mapped_column(default=0, server_default="0")
    requests_expired: Mapped[int] = mapped_column(default=0, server_default="0")
    # Bumped by every ORM write of the row, which must find the version it read (else
    # StaleDataError): the API's ETag. The counters above are not edits and leave it alone.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    user: Mapped[User | None] = relationship(back_populates="profile")
    facets: Mapped[list[ProfileFacet]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"polymorphic_on": "kind", "version_id_col": version}

    @property
    def retired(self) -> bool:
        """Tell whether the profile was retired (anonymised, kept for its counterparts)."""
        return self.retired_at is not None

    @property
    def response_rate(self) -> float | None:
        """Return the share of requests received that were answered before expiring."""
        decided = self.requests_answered + self.requests_expired
        return round(self.requests_answered / decided, 3) if decided else None

    @property
    def capacity_left(self) -> int | None:
        """Return how many more introductions a mentor can accept (None: not a mentor)."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.active_count, 0)

    def is_available(self, now: datetime | None = None) -> bool:
        """Tell whether the profile takes new introductions: active, not paused, in term."""
        now = now or utcnow()
        return (self.active and not self.paused and not self.is_paused_until(now)
                and (self.available_until is None or now < self.available_until))

    def is_paused_until(self, now: datetime | None = None) -> bool:
        """Tell whether a "pause until" date still lies ahead (the pause ends on that day)."""
        today = (now or utcnow()).astimezone(UTC).date()
        return self.paused_until is not None and today < self.paused_until

    @classmethod
    def available_clause(cls, now: datetime | None = None) -> ColumnElement[bool]:
        """Return the SQL condition of :meth:`is_available`, for queries."""
        now = now or utcnow()
        return and_(cls.active.is_(True), cls.paused.is_(False),
                    or_(cls.paused_until.is_(None), cls.paused_until <= now.astimezone(UTC).date()),
                    or_(cls.available_until.is_(None), cls.available_until > now))

    def facet_pairs(self) -> set[tuple[str, str]]:
        """Return the (facet, value) pairs this profile should be findable by."""
        return facet_pairs({a: getattr(self, a) for a in ("sectors", *FACET_SOURCES.values())})


def facet_pairs(values: Mapping[str, Any]) -> set[tuple[str, str]]:
    """Return the (facet, value) pairs of a profile given as a mapping of its fields."""
    pairs = {("sector", p) for code in values.get("sectors") or () for p in naics_lineage(code)}
    for facet, attr in FACET_SOURCES.items():
        pairs.update((facet, value) for value in values.get(attr) or ())
    return pairs


class SmeProfile(Profile):
    __mapper_args__ = {"polymorphic_identity": "sme"}


class MentorProfile(Profile):
    __mapper_args__ = {"polymorphic_identity": "mentor"}


class BuyerProfile(Profile):
    __mapper_args__ = {"polymorphic_identity": "buyer"}


PROFILE_CLASSES: dict[str, type[Profile]] = {
    "sme": SmeProfile, "mentor": MentorProfile, "buyer": BuyerProfile,
}


# What the computed attributes are read from, and what any reader of a profile needs besides
# the fields it shows (which kind, whose, which version): see ``columns_for``.
DERIVED_FROM = {"response_rate": ("requests_answered", "requests_expired"),
                "capacity_left": ("capacity", "active_count")}
ALWAYS_READ = ("id", "kind", "user_id", "version")


def columns_for(names: Iterable[str]) -> list:
    """Return the columns a query loads (``load_only``) so that the fields ``names`` (columns
    or computed attributes) and the owner and version can be read without another query."""
    mapped = Profile.__mapper__.column_attrs
    wanted = [*ALWAYS_READ, *(c for n in names for c in DERIVED_FROM.get(n, (n,)))]
    return [getattr(Profile, name) for name in dict.fromkeys(wanted) if name in mapped]


class ProfileFacet(db.Model):
    __tablename__ = "profile_facets"
    __table_args__ = (Index("ix_profile_facets_lookup", "facet", "value", "profile_id"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True
    )
    facet: Mapped[str] = mapped_column(String(12), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)


class ProfileChange(db.Model):
    """An append-only log of profile writes; worker processes poll it to refresh their index."""

    __tablename__ = "profile_changes"

    seq: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


def sync_facets(profile: Profile) -> None:
    """Bring the profile's facet rows in line with its list fields."""
    wanted = profile.facet_pairs()
    current = {(f.facet, f.value): f for f in profile.facets}
    for key in current.keys() - wanted:
        profile.facets.remove(current[key])
    for facet, value in wanted - current.keys():
        profile.facets.append(ProfileFacet(facet=facet, value=value))


@event.listens_for(Session, "before_flush")
def _sync_profile_facets(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Profile):
            sync_facets(obj)


@event.listens_for(Session, "after_flush")
def _log_profile_changes(session: Session, _context) -> None:
    changed = [o for o in (*session.new, *session.dirty, *session.deleted)
               if isinstance(o, Profile) and o.id is not None]
    if changed:
        session.connection().execute(
            ProfileChange.__table__.insert(),
            [{"profile_id": p.id, "kind": p.kind, "changed_at": utcnow()} for p in changed],
        )
        session.info[_WROTE_PROFILES] = True


_WROTE_PROFILES = "puente.wrote_profiles"
_committed_profile_writes = 0


def committed_profile_writes() -> int:
    """Return how many transactions of this process have committed a profile write.

    Whatever reads the change log at most every so often (a worker's matching state, a list's
    total) reads it at once when this moved: a write shows in the writer's process's very
    next ranking and list total. Other processes learn of it from the log's newest number read
    with a matches request's owner (``webapp.services.match_cards.NEWEST_CHANGE``), else
    within their refresh interval.
    """
    return _committed_profile_writes


@event.listens_for(Session, "after_commit")
def _count_profile_writes(session: Session) -> None:
    global _committed_profile_writes
    if session.info.pop(_WROTE_PROFILES, False):
        _committed_profile_writes += 1


@event.listens_for(Session, "after_rollback")
def _forget_profile_writes(session: Session) -> None:
    session.info.pop(_WROTE_PROFILES, None)
