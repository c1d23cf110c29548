"""Notifications: templates in three languages, the outbox, delivery by log and by SMTP."""

from __future__ import annotations

import email
import logging
import socket
from datetime import timedelta
from email import policy

import pytest

from models import OutboxMessage, db, utcnow
from tests.factories import payload
from tests.intro_factories import Party, act, make_party, outbox, request_intro
from webapp import create_app
from webapp.catalogue import render_email as render
from webapp.catalogue.emails import EMAILS as TEMPLATES
from webapp.services.notifications import deliver_pending

PARAMS = {"requester": "Autopartes del Norte", "target": "Rosa Delgado", "message": "Hola",
          "expires_on": "2026-12-07", "days": 14, "url": "http://x/api/v1/introductions/1",
          "reason_code": "no_capacity", "note": ""}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app):
    """Run a real SMTP server on a free local port and point the app at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_FROM="Puente <hola@puente.test>")
    yield inbox
    controller.stop()


@pytest.fixture
def accepted(client, as_role):
    """An SME writing in Spanish whose request a French-speaking mentor accepted."""
    sme = make_party(client, as_role, "sme", locale="es")
    mentor = make_party(client, as_role, "mentor", locale="fr")
    intro = request_intro(client, sme, mentor)
    act(client, mentor, intro["id"], "accept")
    return sme, mentor


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_message_exists_in_three_languages(name):
    rendered = {lc: render(name, lc, PARAMS) for lc in ("en", "es", "fr")}
    assert [r[0] for r in rendered.values()] == ["en", "es", "fr"]
    subjects = {r[1] for r in rendered.values()}
    assert len(subjects) == 3 and all(subjects)
    assert all("{" not in r[2] for r in rendered.values())


def test_unknown_locales_fall_back_to_english_and_regional_ones_to_their_language():
    assert render("accepted", "de", PARAMS)[0] == "en"
    assert render("accepted", "es-MX", PARAMS)[0] == "es"
    assert render("accepted", "fr_CA", PARAMS)[0] == "fr"


def test_a_name_cannot_break_the_subject_line():
    _, subject, _ = render("accepted", "en", {**PARAMS, "target": "Evil\r\nBcc: x@y.test"})
    assert "\n" not in subject and "\r" not in subject


def test_messages_go_to_users_in_their_language(accepted):
    sme, mentor = accepted
    [to_sme] = outbox(sme.user_id)
    assert (to_sme.template, to_sme.locale) == ("accepted", "es")
    assert to_sme.subject == "Rosa Delgado aceptó su solicitud de presentación"
    [to_mentor] = outbox(mentor.user_id)
    assert to_mentor.locale == "fr" and "mise en relation" in to_mentor.subject
    assert "rosa@mentor.example" not in to_sme.body  # contacts are seen in Puente only


def test_profiles_without_an_account_get_no_message(client, as_role):
    _, coordinator = as_role("coordinator")
    ids = {kind: client.post(f"/api/v1/{kind}s", json=payload(kind), headers=coordinator)
           .get_json()["id"] for kind in ("sme", "mentor")}
    staff = {kind: Party(0, coordinator, ids[kind], kind) for kind in ids}
    intro = request_intro(client, staff["sme"], staff["mentor"])
    assert act(client, staff["mentor"], intro["id"], "accept").status_code == 200
    assert outbox() == []


def test_without_a_mail_server_messages_are_logged(accepted, caplog):
    with caplog.at_level(logging.INFO):
        report = deliver_pending()
    assert (report.logged, report.sent) == (2, 0)
    assert "aceptó su solicitud" in caplog.text
    assert {(m.status, m.attempts) for m in outbox()} == {("logged", 1)}
    assert deliver_pending().delivered == 0


def test_delivery_to_a_real_smtp_server(runner, accepted, smtp_server):
    sme, _ = accepted
    result = runner.invoke(args=["deliver-mail"])
    assert result.exit_code == 0 and "2 sent" in result.output, result.output
    db.session.expire_all()
    sent = {m.to_address: m for m in outbox()}
    assert {m.status for m in sent.values()} == {"sent"}
    assert all(m.sent_at is not None for m in sent.values())
    received = {msg["To"]: msg for msg in smtp_server.messages}
    assert set(received) == set(sent)
    to_sme = received[next(a for a, m in sent.items() if m.user_id == sme.user_id)]
    assert to_sme["Subject"] == "Rosa Delgado aceptó su solicitud de presentación"
    assert to_sme["From"] == "Puente <hola@puente.test>"
    assert to_sme["Content-Language"] == "es"
    assert "Buenas noticias" in to_sme.get_content()
    assert runner.invoke(args=["deliver-mail"]).output.startswith("mail: 0 sent")


def test_failed_deliveries_are_retried_then_given_up(app, accepted):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), PUENTE_MAIL_TIMEOUT=2,
                      PUENTE_MAIL_MAX_ATTEMPTS=2)
    first = deliver_pending()
    assert (first.sent, first.retrying) == (0, 2)
    db.session.expire_all()
    assert all(m.status == "pending" and m.last_error for m in outbox())
    second = deliver_pending()
    assert second.failed == 2
    db.session.expire_all()
    assert {(m.status, m.attempts) for m in outbox()} == {("failed", 2)}


def test_a_claimed_message_is_taken_again_only_when_its_claim_is_stale(app, accepted):
    now = utcnow()
    db.session.execute(db.update(OutboxMessage).values(status="sending", claimed_at=now))
    db.session.commit()
    assert deliver_pending(now + timedelta(minutes=1)).delivered == 0
    stale = now + timedelta(minutes=app.config["PUENTE_MAIL_CLAIM_MINUTES"] + 1)
    assert deliver_pending(stale).delivered == 2


def test_mail_settings_come_from_the_environment(monkeypatch, database_url):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.test")
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("PUENTE_EXPIRY_DAYS", "21")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "x"})
    assert (app.config["MAIL_SERVER"], int(app.config["MAIL_PORT"])) == (
        "smtp.example.test", 2525)
    assert app.config["PUENTE_EXPIRY_DAYS"] == 21
