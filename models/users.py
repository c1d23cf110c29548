"""Users, their roles and their API tokens."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import IDS_NEVER_REUSED, db, utcnow

if TYPE_CHECKING:
    from models.profiles import Profile


class Role(enum.StrEnum):
    SME = "sme"
    MENTOR = "mentor"
    BUYER = "buyer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def profile_kind(self) -> str | None:
        """Return the profile kind this role owns, or None for staff roles."""
        return self.value if self in PROFILE_ROLES else None

    @property
    def is_staff(self) -> bool:
        """Return True for roles that manage every profile."""
        return self in (Role.COORDINATOR, Role.ADMIN)


PROFILE_ROLES = (Role.SME, Role.MENTOR, Role.BUYER)


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = IDS_NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped to end every session of the user (logout everywhere, password change).
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None until the owner follows the verification link; accounts made by staff, the
    # command line or the demo are verified on creation (``accounts.create_user``).
    email_verified_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # The sign-in before the last one: the home's "new since your last visit" starts there.
    previous_login_at: Mapped[datetime | None]

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    profile: Mapped[Profile | None] = relationship(back_populates="user", uselist=False)

    @property
    def role_enum(self) -> Role:
        """Return the role as a Role member."""
        return Role(self.role)

    @property
    def is_staff(self) -> bool:
        """Return True for coordinators and admins."""
        return self.role_enum.is_staff

    @property
    def is_verified(self) -> bool:
        """Return True once the account's e-mail address is verified."""
        return self.email_verified_at is not None

    # Flask-Login protocol, without importing Flask here.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """Return the session identifier: id, epoch and creation time, so a bumped epoch ends
        old sessions, and an account given a deleted account's id again (SQLite reused the
        largest id before migration d2f6a8c0e4b1) is never signed in by the deleted account's
        sessions."""
        created = self.created_at
        if created.tzinfo is not None:
            created = created.astimezone(UTC).replace(tzinfo=None)
        return f"{self.id}:{self.session_epoch}:{created:%Y%m%d%H%M%S%f}"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = IDS_NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    # Only the SHA-256 of the token is stored; the prefix lets a user recognise it.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")
