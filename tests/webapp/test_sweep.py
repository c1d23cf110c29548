"""The introductions sweep: reminders, expiry, idempotence, on a controllable clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import AuditEntry, Introduction, OutboxMessage, db
from tests.intro_factories import act, audit_actions, make_party, outbox, request_intro
from webapp.services.sweep import sweep_introductions


@pytest.fixture
def waiting(client, as_role):
    """An SME (en) waiting for a mentor (es): ``(sme, mentor, introduction row)``."""
    sme = make_party(client, as_role, "sme")
    mentor = make_party(client, as_role, "mentor", locale="es")
    intro = request_intro(client, sme, mentor)
    return sme, mentor, db.session.get(Introduction, intro["id"])


def templates(user_id: int) -> list[str]:
    return [m.template for m in outbox(user_id)]


def test_nothing_is_due_before_the_reminder_period(waiting):
    sme, mentor, intro = waiting
    report = sweep_introductions(intro.created_at + timedelta(days=6, hours=23))
    assert (report.expired, report.reminded) == (0, 0)
    assert templates(mentor.user_id) == ["requested"]


def test_a_reminder_after_seven_days_once(waiting):
    sme, mentor, intro = waiting
    now = intro.created_at + timedelta(days=7, minutes=1)
    assert sweep_introductions(now).reminded == 1
    reminder = outbox(mentor.user_id)[-1]
    assert reminder.template == "reminder" and reminder.locale == "es"
    assert "Recordatorio" in reminder.subject and "Hace 7 días" in reminder.body
    assert sweep_introductions(now).reminded == 0
    assert sweep_introductions(now + timedelta(days=3)).reminded == 0
    assert templates(mentor.user_id) == ["requested", "reminder"]
    assert templates(sme.user_id) == []
    assert audit_actions(intro.id) == ["introduction.request", "introduction.remind"]
    db.session.refresh(intro)
    assert intro.state == "requested" and intro.reminded_at == now


def test_expiry_after_fourteen_days_tells_both_and_counts_against_the_target(client, waiting):
    sme, mentor, intro = waiting
    now = intro.created_at + timedelta(days=14, minutes=1)
    report = sweep_introductions(now)
    assert (report.expired, report.reminded) == (1, 0)
    db.session.refresh(intro)
    assert (intro.state, intro.closed_at) == ("expired", now)
    assert templates(sme.user_id) == ["expired_requester"]
    assert templates(mentor.user_id) == ["requested", "expired_target"]
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "introduction.expire")).one()
    assert entry.actor_id is None and entry.object_id == intro.id
    shown = client.get(f"/api/v1/mentors/{mentor.id}", headers=sme.headers).get_json()
    assert shown["response_rate"] == 0.0
    again = sweep_introductions(now + timedelta(days=1))
    assert (again.expired, again.reminded) == (0, 0)
    assert act(client, mentor, intro.id, "accept").status_code == 409


def test_answered_requests_are_left_alone(client, as_role):
    mentor = make_party(client, as_role, "mentor")
    smes = [make_party(client, as_role, "sme") for _ in range(2)]
    intros = [request_intro(client, sme, mentor) for sme in smes]
    act(client, mentor, intros[0]["id"], "accept")
    act(client, mentor, intros[1]["id"], "decline", reason_code="timing")
    report = sweep_introductions(db.session.get(Introduction, intros[0]["id"]).created_at
                                 + timedelta(days=60))
    assert (report.expired, report.reminded) == (0, 0)
    db.session.expire_all()
    assert [db.session.get(Introduction, i["id"]).state for i in intros] == [
        "accepted", "declined"]


def test_periods_come_from_the_configuration(app, waiting):
    app.config.update(PUENTE_REMINDER_DAYS=1, PUENTE_EXPIRY_DAYS=2)
    _, _, intro = waiting
    assert sweep_introductions(intro.created_at + timedelta(days=1, minutes=1)).reminded == 1
    assert sweep_introductions(intro.created_at + timedelta(days=2, minutes=1)).expired == 1


def test_sweep_command_is_idempotent_and_delivers_the_mail(runner, waiting):
    _, _, intro = waiting
    when = (intro.created_at + timedelta(days=15)).strftime("%Y-%m-%dT%H:%M:%S")
    first = runner.invoke(args=["sweep-introductions", "--now", when])
    assert first.exit_code == 0, first.output
    assert "Expired 1 and reminded 0" in first.output and "3 logged" in first.output
    assert set(db.session.scalars(db.select(OutboxMessage.status))) == {"logged"}
    second = runner.invoke(args=["sweep-introductions", "--now", when])
    assert "Expired 0 and reminded 0" in second.output and "0 logged" in second.output


def test_sweep_can_leave_the_mail_to_deliver_mail(runner, waiting):
    _, _, intro = waiting
    when = (intro.created_at + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")
    result = runner.invoke(args=["sweep-introductions", "--now", when, "--no-mail"])
    assert "reminded 1" in result.output
    assert db.session.scalar(db.select(db.func.count()).where(
        OutboxMessage.status == "pending")) == 2
    delivered = runner.invoke(args=["deliver-mail"])
    assert delivered.exit_code == 0 and "2 logged" in delivered.output
