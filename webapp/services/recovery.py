"""Password reset by e-mail: a signed, expiring link that works once.

The link's token carries the account id and a digest of its password hash
(:func:`links.fingerprint`): setting a password changes the hash, so a used link (and every
other one sent before) no longer passes. Asking for a link answers alike whether or not the
address has an account, and does the same work either way (signs a token, renders the
message, writes one transaction), so neither the answer nor its time tells.
"""

from __future__ import annotations

from sqlalchemy import delete

from models import ApiToken, User, db
from webapp.catalogue import render_email
from webapp.errors import Problem, invalid_fields
from webapp.services.accounts import find_user_by_email, hash_password
from webapp.services.audit import record
from webapp.services.links import LinkRefused, fingerprint, make_token, page_url, read_token
from webapp.services.notifications import enqueue
from webapp.services.passwords import password_problem
from webapp.services.transactions import lock_row, write_transaction
from webapp.services.verification import mark_verified

PURPOSE = "password-reset"


def reset_url(user_id: int, password_hash: str) -> str:
    """Return the page address that resets this account's current password."""
    token = make_token(PURPOSE, {"u": user_id, "p": fingerprint(password_hash)})
    return page_url(f"/password/reset/{token}")


def request_reset(email: str) -> None:
    """E-mail a reset link to the address's active account, if there is one; commit.

    The caller answers the same whatever happened; the audit log says which (by id only).
    """
    user = find_user_by_email(email) if len(email) <= 254 else None
    if user is not None and not user.active:
        user = None
    url = reset_url(user.id if user else 0, user.password_hash if user else "-")
    params = {"url": url, "forgot_url": page_url("/password/forgot")}
    with write_transaction():
        if user is None:
            render_email("password_reset", "en", params)  # the same work as a real one
            record("auth.password_reset_requested", "user", None, actor=None, known=False)
        else:
            enqueue(user, "password_reset", params)
            record("auth.password_reset_requested", "user", user.id, actor=None, known=True)


def user_for_reset(token: str) -> User:
    """Return the active account a reset token is for, or raise InvalidInput (field token)."""
    try:
        payload = read_token(PURPOSE, token)
    except LinkRefused as refused:
        raise invalid_fields({"token": Problem(refused.code)}, "password_not_changed") from None
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.active or payload.get("p") != fingerprint(user.password_hash):
        raise invalid_fields({"token": Problem("link_used")}, "password_not_changed")
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; commit.

    Like a password change, it ends every session of the account and revokes its API tokens;
    the link proves the address, so an unverified account becomes verified. Raises
    InvalidInput naming ``token`` or ``new_password``; writes nothing then.
    """
    user = user_for_reset(token)
    problem = password_problem(new_password, user.email)
    if problem:
        raise invalid_fields({"new_password": problem}, "password_not_changed")
    new_hash = hash_password(new_password)
    with write_transaction():
        user = lock_row(User, user.id)  # two resets through one link: only the first wins
        if user is None or fingerprint(user.password_hash) != read_token(PURPOSE, token)["p"]:
            raise invalid_fields({"token": Problem("link_used")}, "password_not_changed")
        user.password_hash = new_hash
        user.session_epoch = User.session_epoch + 1
        mark_verified(user)
        revoked = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        record("auth.password_reset", "user", user.id, actor=user,
               tokens_revoked=revoked.rowcount)
    return user
