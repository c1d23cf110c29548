"""Staff accounts without the shell: an admin lists accounts, invites a coordinator or an
admin by e-mail, and deactivates accounts; the invitee chooses a password through the link.

An invited account exists from the invitation, active but with no usable password (its hash
is a random marker no password verifies against), so nobody can sign in to it until the link
is followed. The link's token carries a digest of that marker, as a reset link carries the
password hash's: choosing the password changes it, so the link works once.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import delete

from models import ApiToken, Profile, User, db, utcnow
from webapp import policy
from webapp.errors import Conflict, Forbidden, NotFound, Problem, invalid_fields
from webapp.services.accounts import (
    email_problem,
    find_user_by_email,
    hash_password,
    normalise_email,
)
from webapp.services.audit import record
from webapp.services.links import LinkRefused, fingerprint, make_token, page_url, read_token
from webapp.services.notifications import enqueue
from webapp.services.passwords import password_problem
from webapp.services.privacy import close_waiting_requests
from webapp.services.transactions import lock_row, write_transaction
from webapp.services.verification import mark_verified

PURPOSE = "invitation"
INVITED = "!invited:"  # the password hash of an invitation not yet accepted


def list_users(admin: User) -> list[User]:
    """Return every account, staff first, then by address (admins only)."""
    _check_admin(admin)
    order = db.case({"admin": 0, "coordinator": 1}, value=User.role, else_=2)
    return list(db.session.scalars(db.select(User).order_by(order, User.email)))


def is_invited(user: User) -> bool:
    """Tell whether the account is an invitation not accepted yet."""
    return user.password_hash.startswith(INVITED)


def invite(admin: User, email: str, role: str, locale: str = "en") -> User:
    """Open a staff account for the address and e-mail its owner the link; commit.

    Raises InvalidInput naming ``role`` or ``email`` (taken, or not an address).
    """
    _check_admin(admin)
    if role not in policy.STAFF_ROLES:
        raise invalid_fields({"role": Problem("unknown_role", value=role)})
    problem = email_problem(email)
    if problem:
        raise invalid_fields({"email": problem})
    taken = Conflict("email_taken", {"email": [Problem("email_taken")]})
    if find_user_by_email(email):
        raise taken
    user = User(email=normalise_email(email), password_hash=INVITED + secrets.token_hex(16),
                role=role, locale=locale, email_verified_at=None)
    with write_transaction(taken):
        db.session.add(user)
        db.session.flush()
        token = make_token(PURPOSE, {"u": user.id, "p": fingerprint(user.password_hash)})
        # the page opens in the language chosen for the invitee, as the e-mail is written
        url = page_url(f"/invitation/{token}?lang={user.locale}")
        enqueue(user, "invitation", {"url": url, "role_code": role,
                                     "days": current_app.config["PUENTE_INVITE_DAYS"]})
        record("user.invite", "user", user.id, actor=admin, role=role)
    return user


def invited_user(token: str) -> User:
    """Return the invited account of a link, or raise InvalidInput (field ``token``)."""
    try:
        payload = read_token(PURPOSE, token)
    except LinkRefused as refused:
        raise invalid_fields({"token": Problem(refused.code)}) from None
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or payload.get("p") != fingerprint(user.password_hash):
        raise invalid_fields({"token": Problem("link_used")})
    return user


def accept_invitation(token: str, password: str) -> User:
    """Set the invited account's password (which verifies its address) and commit."""
    user = invited_user(token)
    problem = password_problem(password, user.email)
    if problem:
        raise invalid_fields({"new_password": problem}, "password_refused")
    new_hash = hash_password(password)
    with write_transaction():
        user = lock_row(User, user.id)
        if user is None or read_token(PURPOSE, token)["p"] != fingerprint(user.password_hash):
            raise invalid_fields({"token": Problem("link_used")})
        user.password_hash = new_hash
        mark_verified(user)
        record("user.invitation_accepted", "user", user.id, actor=user)
    return user


def deactivate(admin: User, user_id: int) -> User:
    """Deactivate an account: it can no longer sign in, its sessions end and its API tokens
    are revoked, its profile's waiting requests are closed both ways, the other parties told
    (:func:`privacy.close_waiting_requests`; accepted introductions stay); commit. An admin
    cannot deactivate itself."""
    _check_admin(admin)
    if user_id == admin.id:
        raise Forbidden("own_account")
    with write_transaction():
        user = lock_row(User, user_id)
        if user is None:
            raise NotFound("user_not_found", id=user_id)
        if user.active:
            user.active = False
            user.session_epoch = User.session_epoch + 1
            revoked = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
            # its profile leaves others' lists and rankings (policy.is_listed): a change of
            # the profile, so every worker's ranking index takes it in. Its row is locked
            # before its introductions, the order every introduction move locks in.
            profile_id = db.session.scalar(db.select(Profile.id).where(
                Profile.user_id == user.id))
            profile = lock_row(Profile, profile_id) if profile_id is not None else None
            if profile is not None:
                now = utcnow()
                profile.updated_at = now
                close_waiting_requests(profile, now)
            record("user.deactivate", "user", user.id, actor=admin,
                   tokens_revoked=revoked.rowcount)
    return user


def _check_admin(user: User) -> None:
    if not policy.may_manage_users(user):
        raise Forbidden("admin_only_users")
