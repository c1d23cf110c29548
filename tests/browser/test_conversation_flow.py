"""Program introductions seen by both sides in their language; a message thread between the
two parties; a meeting proposed in one time zone, picked in another, and its .ics invitation
downloaded and read with the right local times. On a phone where it matters."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from models import OutboxMessage, db, utcnow
from models.introductions import PROGRAM
from tests.browser.pages import axe_violations, horizontal_overflow, log_in
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states, introductions

GDL, LA = ZoneInfo("America/Mexico_City"), ZoneInfo("America/Los_Angeles")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def pair(make_user):
    """An SME in Guadalajara (es) and a mentor in Los Angeles (fr), with a coordinator."""

    def make(accepted: bool = True, program: bool = False) -> dict:
        sme, mentor = make_user("sme", locale="es"), make_user("mentor", locale="fr")
        make_profile(sme, "sme", subdivision="MX-JAL", city="Guadalajara")
        make_profile(mentor, "mentor", subdivision="US-CA", city="Los Angeles")
        if program:
            intro = introductions.create_introduction(
                make_user("coordinator"), {"requester_id": sme.profile.id,
                                           "target_id": mentor.profile.id}, origin=PROGRAM)
        else:
            intro = introductions.create_introduction(sme, {"target_id": mentor.profile.id})
        if accepted:
            introduction_states.accept(mentor, intro.id)
        found = {"sme": sme.email, "mentor": mentor.email, "intro": intro.id,
                 "sme_user": sme.id, "mentor_user": mentor.id}
        db.session.rollback()  # end the read, so the live server can write (SQLite)
        return found

    return make


def test_a_program_introduction_is_shown_as_such_to_both_sides(new_page, pair):
    people = pair(accepted=False, program=True)
    sme = new_page(locale="es-MX", **PHONE)
    log_in(sme, people["sme"])
    sme.goto("/introductions")
    entry = sme.locator("#program article")
    expect(sme.locator("#program h2")).to_have_text("Presentadas por el programa")
    expect(entry).to_contain_text("Presentación hecha por los coordinadores del programa")
    expect(entry.get_by_role("button", name="Rechazar esta presentación")).to_be_visible()
    expect(sme.get_by_role("button", name="Retirar")).to_have_count(0)
    expect(sme.locator("#sent")).to_contain_text("Nada por ahora")
    assert horizontal_overflow(sme) <= 0

    mentor = new_page(locale="fr-CA")
    log_in(mentor, people["mentor"])
    mentor.goto("/introductions")
    entry = mentor.locator("#program article")
    expect(entry).to_contain_text("Mise en relation faite par les coordinateurs du programme")
    entry.get_by_role("button", name="Accepter").click()
    expect(mentor.locator("#accepted article")).to_contain_text("Autopartes del Norte")
    sme.goto("/introductions")
    expect(sme.locator("#accepted .contacts")).to_contain_text("rosa@mentor.example")
    told = {(m.user_id, m.template, m.locale) for m in db.session.scalars(
        db.select(OutboxMessage))}
    db.session.rollback()
    assert {(people["sme_user"], "program_introduced_requester", "es"),
            (people["mentor_user"], "program_introduced_target", "fr"),
            (people["sme_user"], "program_accepted", "es")} <= told


def test_the_two_parties_keep_a_message_thread(new_page, pair):
    people = pair()
    sme = new_page(locale="es-MX", **PHONE)
    log_in(sme, people["sme"])
    sme.goto("/introductions")
    sme.get_by_role("link", name="Mensajes y reuniones").click()
    sme.get_by_label("Su mensaje").fill("¿Podemos hablar el martes? <b>urgente</b>")
    sme.get_by_role("button", name="Enviar").click()
    expect(sme.locator(".flash")).to_contain_text("Mensaje enviado")
    expect(sme.locator(".thread .message.mine")).to_contain_text("<b>urgente</b>")
    assert horizontal_overflow(sme) <= 0
    assert axe_violations(sme) == []

    mentor = new_page(locale="fr-CA")
    log_in(mentor, people["mentor"])
    mentor.goto(f"/introductions/{people['intro']}/conversation")
    expect(mentor.locator(".thread .message")).to_contain_text("¿Podemos hablar el martes?")
    mentor.get_by_label("Votre message").fill("Oui, mardi à 10 h.")
    mentor.get_by_role("button", name="Envoyer").click()
    sme.reload()
    expect(sme.locator(".thread .message")).to_have_count(2)
    expect(sme.locator(".thread .message").last).to_contain_text("Oui, mardi à 10 h.")


def test_a_meeting_is_proposed_picked_and_its_invitation_downloaded(new_page, pair):
    people = pair()
    day = (utcnow() + timedelta(days=4)).astimezone(GDL).date()
    first = datetime(day.year, day.month, day.day, 9, 0, tzinfo=GDL)
    second = datetime(day.year, day.month, day.day, 16, 30, tzinfo=GDL)
    sme = new_page(locale="es-MX", **PHONE)
    log_in(sme, people["sme"])
    sme.goto(f"/introductions/{people['intro']}/conversation")
    expect(sme.locator("#meetings")).to_contain_text("(hora central)")  # the zone, in words
    sme.get_by_label("Primer horario").fill(first.strftime("%Y-%m-%dT%H:%M"))
    sme.get_by_label("Segundo horario (opcional)").fill(second.strftime("%Y-%m-%dT%H:%M"))
    sme.get_by_label("Duración").select_option("45")
    sme.get_by_role("button", name="Proponer", exact=True).click()
    expect(sme.locator(".flash")).to_contain_text("Reunión propuesta")
    assert horizontal_overflow(sme) <= 0

    mentor = new_page(locale="fr-CA")
    log_in(mentor, people["mentor"])
    mentor.goto(f"/introductions/{people['intro']}/conversation")
    expect(mentor.locator("#meetings")).to_contain_text("(heure du Pacifique)")
    local = second.astimezone(LA)  # 14:30 in Los Angeles: shown in the mentor's zone, written
    choice = mentor.locator(".meeting label").filter(  # as Canada writes French: "14 h 30"
        has_text=local.strftime("%H h %M"))
    expect(choice).to_have_count(1)
    choice.click()
    mentor.get_by_role("button", name="Confirmer cet horaire").click()
    expect(mentor.locator(".flash")).to_contain_text("Rencontre confirmée")

    for page, zone in ((mentor, LA), (sme, GDL)):
        page.goto(f"/introductions/{people['intro']}/conversation")
        with page.expect_download() as info:
            page.locator("a[href$='.ics']").click()
        ics = Path(info.value.path()).read_bytes()
        event = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
        start = event.decoded("dtstart")
        assert start == second and start.tzinfo.key == zone.key
        assert (start.hour, start.minute) == (second.astimezone(zone).hour,
                                              second.astimezone(zone).minute)
        assert event.decoded("dtend") - start == timedelta(minutes=45)
    assert "Reunión" in str(event["summary"])  # the SME's copy, in Spanish
