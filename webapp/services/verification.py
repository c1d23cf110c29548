"""E-mail verification: the link sent at sign-up (and again on request) proves the address.

Until then the account can edit its profile, but the profile is shown to nobody else
(``policy.is_listed``) and it cannot request introductions. The link's token names the
account and its address, so it stops working if the address changes.
"""

from __future__ import annotations

from models import Profile, User, db, utcnow
from webapp.errors import Problem, invalid_fields
from webapp.services.accounts import VERIFY, verify_url
from webapp.services.audit import record
from webapp.services.links import LinkRefused, fingerprint, read_token
from webapp.services.notifications import enqueue
from webapp.services.transactions import lock_row, write_transaction


def resend(user: User) -> bool:
    """E-mail the verification link again; return False (nothing sent) when verified."""
    if user.is_verified:
        return False
    with write_transaction():
        enqueue(user, "verify_email", {"url": verify_url(user.id, user.email)})
        record("user.verification_sent", "user", user.id, actor=user)
    return True


def verify(token: str) -> User:
    """Mark the address of the link's account verified and commit; its profile appears to
    others from now on. Raises InvalidInput (field ``token``); a second use is harmless."""
    try:
        payload = read_token(VERIFY, token)
    except LinkRefused as refused:
        raise invalid_fields({"token": Problem(refused.code)}) from None
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or fingerprint(user.email) != payload.get("e"):
        raise invalid_fields({"token": Problem("link_invalid")})
    if user.is_verified:
        return user
    with write_transaction():
        user = lock_row(User, user.id)
        mark_verified(user)
    return user


def mark_verified(user: User) -> None:
    """Mark the address verified within the caller's transaction (no-op when it is)."""
    if user.email_verified_at is not None:
        return
    user.email_verified_at = utcnow()
    profile = db.session.scalar(db.select(Profile).where(Profile.user_id == user.id))
    if profile is not None:  # a change of the profile: every worker's rankings take it in
        profile.updated_at = utcnow()
    record("user.email_verified", "user", user.id, actor=user)
