"""Notifications: messages written to the outbox with their event, delivered afterwards.

``enqueue`` adds a message, rendered in the recipient's language (an introduction's retired
party named in it too), to the caller's transaction, so a message exists exactly when the
event it tells about was committed. ``deliver_pending`` claims pending messages with a
conditional update (two deliverers never take the same one), sends them by SMTP when
``MAIL_SERVER`` is set or writes them to the log otherwise, and records each outcome. A
failed message is tried again on the next run, up to ``PUENTE_MAIL_MAX_ATTEMPTS`` times; a
run that dies while sending leaves its claims to be taken again after
``PUENTE_MAIL_CLAIM_MINUTES`` (delivery is at least once).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from flask import current_app
from sqlalchemy import update

from models import Introduction, OutboxMessage, User, db, utcnow
from models.notifications import FAILED, LOGGED, PENDING, SENDING, SENT
from webapp.catalogue import render_email
from webapp.services.inbox import party_names
from webapp.services.transactions import write_transaction

TRUE_WORDS = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    logged: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def delivered(self) -> int:
        """Return how many messages left the outbox (by SMTP or to the log)."""
        return self.sent + self.logged


@dataclass(frozen=True)
class Attachment:
    """A text file sent with a message (a meeting's ``.ics`` invitation)."""

    name: str
    media_type: str  # "text/calendar"
    text: str


def enqueue(user: User | None, template: str, params: Mapping[str, Any],
            introduction_id: int | None = None,
            attachment: Attachment | None = None) -> OutboxMessage | None:
    """Add a message for the user to the current transaction (none without an active user)."""
    if user is None or not user.active:
        return None
    params = _parties_as_read(params, introduction_id, user.locale)
    locale, subject, body = render_email(template, user.locale, params)
    message = OutboxMessage(user_id=user.id, introduction_id=introduction_id, template=template,
                            locale=locale, to_address=user.email, subject=subject, body=body,
                            status=PENDING, attempts=0)
    if attachment is not None:
        message.attachment_name = attachment.name
        message.attachment_type = attachment.media_type
        message.attachment = attachment.text
    db.session.add(message)
    return message


def _parties_as_read(params: Mapping[str, Any], introduction_id: int | None,
                     locale: str | None) -> Mapping[str, Any]:
    """Return the parameters with the introduction's parties (``requester``, ``target``)
    named as the recipient reads them: a retired profile's fixed name in its language."""
    if introduction_id is None or not {"requester", "target"} & params.keys():
        return params
    intro = db.session.get(Introduction, introduction_id)
    if intro is None:
        return params
    names = party_names(intro, locale)
    return {**params, **{key: names[key] for key in ("requester", "target") if key in params}}


def deliver_pending(now: datetime | None = None, limit: int | None = None) -> DeliveryReport:
    """Deliver pending outbox messages: by SMTP when configured, else to the log."""
    now = now or utcnow()
    claimed = _claim(now, limit or current_app.config["PUENTE_MAIL_BATCH"])
    if not claimed:
        return DeliveryReport()
    emails = {m.id: _email(m) for m in db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    )}
    db.session.rollback()  # hold no transaction while talking to the mail server
    if current_app.config.get("MAIL_SERVER"):
        outcomes = _send_by_smtp(emails)
    else:
        for message in emails.values():
            _write_to_log(message)
        outcomes = dict.fromkeys(emails, None)
    return _record_outcomes(outcomes, now)


def _claim(now: datetime, limit: int) -> list[int]:
    table = OutboxMessage.__table__
    stale = now - timedelta(minutes=current_app.config["PUENTE_MAIL_CLAIM_MINUTES"])
    with write_transaction():
        db.session.execute(update(table).where(
            table.c.status == SENDING, table.c.claimed_at < stale).values(status=PENDING))
        ids = db.select(table.c.id).where(table.c.status == PENDING).order_by(table.c.id)
        claimed = db.session.execute(
            update(table).where(table.c.id.in_(ids.limit(limit).scalar_subquery()),
                                table.c.status == PENDING)
            .values(status=SENDING, claimed_at=now).returning(table.c.id)
        ).scalars().all()
    return list(claimed)


def _email(message: OutboxMessage) -> EmailMessage:
    cfg = current_app.config
    email = EmailMessage()
    email["From"] = cfg["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(f"outbox.{message.id}")
    email.set_content(message.body)
    if message.attachment is not None:
        # Attachments are text (enqueue takes text): the media type's subtype is enough.
        subtype = (message.attachment_type or "text/plain").split("/", 1)[-1]
        email.add_attachment(message.attachment, subtype=subtype,
                             filename=message.attachment_name)
    email["Content-Language"] = message.locale  # after set_content, which drops Content-*
    return email


def _send_by_smtp(emails: dict[int, EmailMessage]) -> dict[int, str | None]:
    """Send over one SMTP connection; return each message's error (None when sent)."""
    cfg = current_app.config
    outcomes: dict[int, str | None] = {}
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]),
                          timeout=cfg["PUENTE_MAIL_TIMEOUT"]) as smtp:
            if str(cfg.get("MAIL_USE_TLS")).lower() in TRUE_WORDS:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            for message_id, email in emails.items():
                try:
                    smtp.send_message(email)
                    outcomes[message_id] = None
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                        smtplib.SMTPSenderRefused, ValueError) as err:
                    outcomes[message_id] = f"{type(err).__name__}: {err}"
    except (OSError, smtplib.SMTPException) as err:
        current_app.logger.warning("SMTP delivery failed: %s", err)
        for message_id in emails:
            outcomes.setdefault(message_id, f"{type(err).__name__}: {err}")
    return outcomes


def _write_to_log(email: EmailMessage) -> None:
    files = [part.get_filename() for part in email.iter_attachments()]
    _mail_logger().info("Mail (no MAIL_SERVER set) to %s [%s]: %s\n%s%s", email["To"],
                        email["Content-Language"], email["Subject"],
                        email.get_body(("plain",)).get_content(),
                        "".join(f"[attached: {name}]\n" for name in files))


def _mail_logger() -> logging.Logger:
    """Return the app's ``mail`` logger, at INFO unless configured: logged mail must show."""
    logger = current_app.logger.getChild("mail")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return logger


def _record_outcomes(outcomes: dict[int, str | None], now: datetime) -> DeliveryReport:
    by_log = not current_app.config.get("MAIL_SERVER")
    max_attempts = current_app.config["PUENTE_MAIL_MAX_ATTEMPTS"]
    counts = {"sent": 0, "logged": 0, "retrying": 0, "failed": 0}
    with write_transaction():
        for message_id, error in outcomes.items():
            message = db.session.get(OutboxMessage, message_id)
            message.attempts += 1
            if error is None:
                message.status, message.sent_at = (LOGGED if by_log else SENT), now
                message.last_error = None
            else:
                message.last_error = error[:1000]
                message.status = FAILED if message.attempts >= max_attempts else PENDING
            counts[{LOGGED: "logged", SENT: "sent", PENDING: "retrying",
                    FAILED: "failed"}[message.status]] += 1
    return DeliveryReport(**counts)
