"""Messages between the two parties of an accepted introduction.

A thread is private to the two parties (``policy.may_converse``): staff do not read it.
Messages are plain text (escaped where shown), at most ``MESSAGE_MAX`` characters, counted
against the author's ``PUENTE_MESSAGE_LIMIT`` budget. The other party gets an e-mail notice
in its language, at most one per thread every ``PUENTE_MESSAGE_NOTICE_MINUTES`` minutes, so a
lively thread never floods its inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func

from models import Introduction, IntroductionMessage, OutboxMessage, Profile, User, db, utcnow
from models.conversations import MESSAGE_MAX
from webapp import policy
from webapp.errors import Conflict, Forbidden, Problem, invalid_fields
from webapp.input_guard import check_storable
from webapp.services import budgets, inbox
from webapp.services.audit import record
from webapp.services.introductions import get_introduction, notify
from webapp.services.links import page_url
from webapp.services.transactions import write_transaction

NOTICE = "message_received"


def conversing(user: User, intro_id: int) -> tuple[Introduction, Profile]:
    """Return the introduction and the user's own party in it; refuse anyone else."""
    intro = get_introduction(user, intro_id)
    if not policy.may_converse(user, intro):
        raise Forbidden("conversation_parties_only")
    return intro, policy.own_parties(user, intro)[0]


def require_open(intro: Introduction) -> None:
    """Refuse to write in an introduction whose parties do not see each other (yet)."""
    if intro.state not in policy.REVEALED_STATES:
        raise Conflict("conversation_not_open", id=intro.id, state=intro.state)


def list_messages(user: User, intro_id: int) -> list[IntroductionMessage]:
    """Return the thread of an introduction, oldest first (its parties only)."""
    intro, _ = conversing(user, intro_id)
    return list(db.session.scalars(
        db.select(IntroductionMessage).where(IntroductionMessage.introduction_id == intro.id)
        .order_by(IntroductionMessage.id)))


def post_message(user: User, intro_id: int, body: str,
                 now: datetime | None = None) -> IntroductionMessage:
    """Add a message to the thread, tell the other party (throttled), and commit."""
    now = now or utcnow()
    body = (body or "").strip()
    if not body:
        raise invalid_fields({"body": Problem("required")})
    if len(body) > MESSAGE_MAX:
        raise invalid_fields({"body": Problem("too_long", num=MESSAGE_MAX)})
    check_storable({"body": body})
    intro, own = conversing(user, intro_id)
    require_open(intro)
    budgets.spend("introduction_message", user.id)
    with write_transaction():
        intro, own = conversing(user, intro_id)
        require_open(intro)
        message = IntroductionMessage(introduction_id=intro.id, profile_id=own.id,
                                      author_id=user.id, body=body, created_at=now)
        db.session.add(message)
        db.session.flush()
        record("introduction.message", "introduction", intro.id, actor=user,
               message_id=message.id)
        other = intro.target if own.id == intro.requester_id else intro.requester
        if other.user is not None and other.user.active and not inbox.has_unread(
                other.user.id, "message", intro.id):
            inbox.notify_in_app([other.user.id], "message", introduction_id=intro.id,
                                sender_id=own.id)
        if other.user is not None and not _noticed_lately(other.user.id, intro.id, now):
            notify(other.user, NOTICE, intro, author=own.name, url=conversation_url(intro),
                   minutes=current_app.config["PUENTE_MESSAGE_NOTICE_MINUTES"])
    return message


def conversation_url(intro: Introduction) -> str:
    """Return the address of the introduction's conversation page, for an e-mail."""
    return page_url(f"/introductions/{intro.id}/conversation")


def _noticed_lately(user_id: int, intro_id: int, now: datetime) -> bool:
    """Tell whether the reader was sent a notice of this thread within the quiet period."""
    since = now - timedelta(minutes=current_app.config["PUENTE_MESSAGE_NOTICE_MINUTES"])
    return bool(db.session.scalar(db.select(func.count(OutboxMessage.id)).where(
        OutboxMessage.user_id == user_id, OutboxMessage.introduction_id == intro_id,
        OutboxMessage.template == NOTICE, OutboxMessage.created_at >= since)))
