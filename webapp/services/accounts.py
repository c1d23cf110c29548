"""Use cases for accounts: users, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, or_, update
from sqlalchemy.orm import joinedload

from matcher.taxonomy import LOCALES
from models import ApiToken, Role, User, db, utcnow
from webapp.errors import Conflict, NotAuthenticated, Problem, invalid_fields
from webapp.services import account_cache
from webapp.services.audit import record
from webapp.services.links import fingerprint, make_token, page_url
from webapp.services.notifications import enqueue
from webapp.services.passwords import password_problem
from webapp.services.transactions import write_transaction

TOKEN_BYTES = 32
VERIFY = "verify-email"
ARGON2_PREFIX = "$argon2"  # how every hash this module makes begins
# The shape of an address only (as the sign-up form checks it); whether it receives mail is
# not checked here.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_EMAIL = 254


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["PUENTE_ARGON2_TIME_COST"],
                          memory_cost=cfg["PUENTE_ARGON2_MEMORY_KIB"])


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password, as stored."""
    return _hasher().hash(password)


def normalise_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed and lower-cased."""
    return email.strip().lower()


def email_problem(email: str) -> Problem | None:
    """Return what is wrong with an address given for a new account, or None: its length and
    shape, once trimmed (the sign-up form's rule, for the command line and invitations)."""
    address = normalise_email(email)
    if len(address) > MAX_EMAIL:
        return Problem("too_long", num=MAX_EMAIL)
    return None if EMAIL_SHAPE.fullmatch(address) else Problem("invalid_email")


def find_user_by_email(email: str) -> User | None:
    """Return the user with that e-mail address, if any."""
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str, role: str, locale: str = "en") -> User:
    """Create a user with an argon2-hashed password and commit (Conflict when the address is
    registered: for staff and the command line; visitors go through :func:`sign_up`).
    Raises InvalidInput naming ``role``, ``email`` (not an address) or ``password``."""
    _check_new_account(password, role, email)
    taken = Conflict("email_taken", {"email": [Problem("email_taken")]})
    if find_user_by_email(email):
        raise taken
    user = User(email=normalise_email(email), password_hash=_hasher().hash(password),
                role=role, locale=locale, email_verified_at=utcnow())
    with write_transaction(taken):  # a concurrent sign-up with the address: unique e-mail
        db.session.add(user)
        db.session.flush()
        record("user.create", "user", user.id, actor=user, role=role)
    return user


def _check_new_account(password: str, role: str, email: str) -> None:
    if role not in {r.value for r in Role}:
        raise invalid_fields({"role": Problem("unknown_role", value=role)})
    problem = email_problem(email)
    if problem:
        raise invalid_fields({"email": problem})
    problem = password_problem(password, email)
    if problem:
        raise invalid_fields({"password": problem}, "password_refused")


def sign_up(email: str, password: str, role: str, locale: str = "en") -> User | None:
    """Open a visitor's account, or tell the address's owner someone tried; commit.

    The visitor must not learn whether the address was registered (issue 15): both cases
    hash the password (the same time), write one message (a welcome, or "someone tried to
    sign up with your address" to the owner, in the owner's language) and let the caller
    answer alike; neither signs anyone in. Return the new user, or None for a taken address.
    Raises InvalidInput (role, email, password) as :func:`create_user` does, for both alike.
    """
    _check_new_account(password, role, email)
    password_hash = _hasher().hash(password)
    owner = find_user_by_email(email)
    if owner is not None:
        verify_url(0, "")  # the same work as for a newcomer
        with write_transaction():
            enqueue(owner, "signup_attempt", {"url": page_url("/login")})
            record("user.signup_attempt", "user", owner.id, actor=None)
        return None
    user = User(email=normalise_email(email), password_hash=password_hash, role=role,
                locale=locale, email_verified_at=None)
    try:
        with write_transaction(Conflict("email_taken")):
            db.session.add(user)
            db.session.flush()
            record("user.create", "user", user.id, actor=user, role=role)
            enqueue(user, "welcome", {"url": verify_url(user.id, user.email)})
    except Conflict:  # a concurrent sign-up with the address came first: it was registered
        return None
    return user


def verify_url(user_id: int, email: str) -> str:
    """Return the page address that verifies this account's e-mail address."""
    # a digest of the address, not the address: links end up in logs and browser histories
    return page_url("/verify/" + make_token(VERIFY, {"u": user_id, "e": fingerprint(email)}))


def authenticate(email: str, password: str, via: str = "web") -> User:
    """Return the active user with these credentials or raise NotAuthenticated.

    Both outcomes go to the audit log (``via`` says which door: ``web`` or ``api``); a failure
    names the account when the address exists, never the address itself.
    """
    user = find_user_by_email(email)
    # Hash anyway when the user is unknown, so timing does not tell which e-mails exist.
    verified = _verify(user.password_hash if user else _dummy_hash(), password)
    reason = ("unknown_email" if user is None else "bad_password" if not verified
              else "inactive" if not user.active else None)
    if reason:
        with write_transaction():
            record("auth.login_failed", "user", user.id if user else None, actor=None,
                   reason=reason, via=via)
        raise NotAuthenticated("wrong_credentials")
    rehashed = (_hasher().hash(password) if _hasher().check_needs_rehash(user.password_hash)
                else None)
    with write_transaction():
        if rehashed:
            user.password_hash = rehashed
        if via == "web":  # a new visit: the home tells what is new since the one before
            user.previous_login_at = user.last_login_at
        user.last_login_at = utcnow()
        record("auth.login", "user", user.id, actor=user, via=via)
    return user


def _verify(stored_hash: str, password: str) -> bool:
    # A stored value that is no argon2 hash (an invitation's marker, staff.INVITED) would be
    # refused at once, without hashing: in 5 ms where a real check takes 150, telling which
    # addresses are invited staff. It is checked against the dummy hash instead, then refused.
    usable = stored_hash.startswith(ARGON2_PREFIX)
    try:
        return _hasher().verify(stored_hash if usable else _dummy_hash(), password) and usable
    except (VerificationError, InvalidHashError):
        return False


def password_matches(user: User, password: str) -> bool:
    """Tell whether the password is the user's current one."""
    return _verify(user.password_hash, password)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password; end the user's other sessions and revoke all their API tokens.

    A stolen session or token may have minted tokens, so none survives the change. The
    caller signs its own session in again with the new epoch (see ``User.get_id``).
    Raises InvalidInput naming ``current_password`` and/or ``new_password``; writes nothing
    then.
    """
    problems: dict[str, Problem] = {}
    if not password_matches(user, current):
        problems["current_password"] = Problem("wrong_current_password")
    problem = (Problem("same_password") if new == current
               else password_problem(new, user.email))
    if problem:
        problems["new_password"] = problem
    if problems:
        raise invalid_fields(problems, "password_not_changed")
    new_hash = _hasher().hash(new)
    with write_transaction():
        user.password_hash = new_hash
        user.session_epoch = User.session_epoch + 1  # in SQL: a concurrent logout counts too
        revoked = db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
        record("auth.password_change", "user", user.id, actor=user,
               tokens_revoked=revoked.rowcount)


def _dummy_hash() -> str:
    cache = current_app.extensions.setdefault("puente_dummy_hash", {})
    if "hash" not in cache:
        cache["hash"] = _hasher().hash(secrets.token_hex(8))
    return cache["hash"]


def set_locale(user: User, locale: str) -> User:
    """Set the user's preferred locale (en, es or fr) and commit."""
    if locale not in LOCALES:
        raise invalid_fields({"locale": Problem("unknown_locale", value=locale)})
    with write_transaction():
        user.locale = locale
    return user


def hash_token(token: str) -> str:
    """Return the stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token for the user; return the row and the secret (shown once)."""
    secret = "pte_" + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret),
                     prefix=secret[:10])
    with write_transaction():
        db.session.add(token)
        db.session.flush()
        record("token.create", "api_token", token.id, actor=user)
    return token, secret


TOKEN_USE_RESOLUTION = timedelta(minutes=1)
"""How stale ``last_used_at`` may be: a token's use is written at most once a minute, so an
authenticated GET does not write (and commit) on every request."""


def user_for_token(secret: str) -> User | None:
    """Return the active user owning this API token, noting the token's use at most once a
    minute (:data:`TOKEN_USE_RESOLUTION`)."""
    digest = hash_token(secret)
    cached = account_cache.get(("token", digest))
    if cached is not None:
        return cached
    loaded_at = account_cache.generation()
    token = db.session.scalar(
        db.select(ApiToken).options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == digest)
    )
    if token is None or not token.user.active:
        return None
    now = utcnow()
    last = token.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if last is None or now - last >= TOKEN_USE_RESOLUTION:
        stale = now - TOKEN_USE_RESOLUTION
        with write_transaction():  # the WHERE lets one of several racing workers write it
            db.session.execute(update(ApiToken).where(
                ApiToken.id == token.id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale),
            ).values(last_used_at=now).execution_options(**account_cache.KEEPS_ENTRIES))
    account_cache.put(("token", digest), token.user, loaded_at)
    return token.user


def list_tokens(user: User) -> list[ApiToken]:
    """Return the user's API tokens, newest first."""
    return list(db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_token(user: User, token_id: int) -> bool:
    """Delete one of the user's tokens; return False when it is not theirs or absent."""
    with write_transaction():
        done = db.session.execute(delete(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == user.id)).rowcount
        if done:
            record("token.revoke", "api_token", token_id, actor=user)
    return bool(done)


def count_users() -> int:
    """Return how many accounts exist."""
    return db.session.scalar(db.select(func.count()).select_from(User))


def end_sessions(user: User) -> None:
    """End every browser session of the user (logout everywhere) and commit."""
    with write_transaction():
        user.session_epoch = User.session_epoch + 1  # in SQL: concurrent ends all count
        record("user.sessions_ended", "user", user.id, actor=user)


def log_out(user: User) -> None:
    """Sign the user out everywhere (a copied session cookie dies too) and commit."""
    with write_transaction():
        user.session_epoch = User.session_epoch + 1  # in SQL: concurrent ends all count
        record("auth.logout", "user", user.id, actor=user)
