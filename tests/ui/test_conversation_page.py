"""The conversation page of an introduction (webapp/ui/conversation.py) and the inbox's
program introductions, feedback and contacts after completion."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models import Introduction, IntroductionMessage, MeetingProposal, db, utcnow
from models.introductions import PROGRAM
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import field_errors, text_of
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states as states
from webapp.services import introductions as service

MENTOR_EMAIL = "rosa@mentor.example"


@pytest.fixture
def accepted(make_user):
    """An SME (es) and a mentor (fr) whose introduction is accepted."""
    sme, mentor = make_user("sme", locale="es"), make_user("mentor", locale="fr")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = service.create_introduction(sme, {"target_id": mentor.profile.id})
    states.accept(mentor, intro.id)
    return sme, mentor, intro.id


def page(client, intro_id: int, lang: str = "en"):
    return client.get(f"/introductions/{intro_id}/conversation",
                      headers={"Accept-Language": lang})


def post(client, intro_id: int, rest: str, **data):
    data["csrf_token"] = csrf_token(client, f"/introductions/{intro_id}/conversation")
    return client.post(f"/introductions/{intro_id}/conversation/{rest}", data=data,
                       headers={"Accept-Language": "en"})


def test_parties_exchange_messages_escaped(client, accepted):
    sme, mentor, intro_id = accepted
    login(client, sme.email)
    assert post(client, intro_id, "messages", body="<b>¿Martes?</b>").status_code == 302
    client.get("/logout")
    login(client, mentor.email)
    html = page(client, intro_id, "fr").get_data(True)
    assert "&lt;b&gt;¿Martes?&lt;/b&gt;" in html and "<b>¿Martes?" not in html
    assert "Messages" in html and "Autopartes del Norte" in html
    assert MENTOR_EMAIL not in text_of(html)  # the other party's contacts, not one's own


def test_an_empty_message_is_refused_next_to_the_field(client, accepted):
    sme, _, intro_id = accepted
    login(client, sme.email)
    before = row_counts()
    response = post(client, intro_id, "messages", body="   ")
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "body")
    assert row_counts() == before


def test_staff_and_strangers_cannot_open_the_conversation(client, accepted, make_user):
    _, _, intro_id = accepted
    coordinator = make_user("coordinator")
    login(client, coordinator.email)
    assert page(client, intro_id).status_code == 403
    client.get("/logout")
    stranger = make_user("sme")
    login(client, stranger.email)
    assert page(client, intro_id).status_code == 404


def test_propose_in_own_zone_and_the_other_picks(client, accepted):
    sme, mentor, intro_id = accepted
    login(client, sme.email)  # MX-CHH: America/Chihuahua
    day = (utcnow() + timedelta(days=3)).date()
    response = post(client, intro_id, "meetings", time_1=f"{day}T10:00",
                    time_2=f"{day}T15:30", minutes="45", note="Llamada")
    assert response.status_code == 302, response.get_data(True)
    [proposal] = db.session.scalars(db.select(MeetingProposal)).all()
    local = datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=ZoneInfo("America/Chihuahua"))
    assert datetime.fromisoformat(proposal.times[0]) == local
    html = page(client, intro_id).get_data(True)
    assert "Esperando a que la otra parte elija" in html and 'name="pick-' not in html
    assert "(hora central)" in text_of(html) and "America/" not in text_of(html)
    client.get("/logout")
    login(client, mentor.email)  # US-TX: America/Chicago
    html = page(client, intro_id, "fr").get_data(True)
    assert "(heure du Centre)" in text_of(html) and "America/" not in text_of(html)
    assert post(client, intro_id, f"meetings/{proposal.id}/pick",
                **{f"pick-{proposal.id}-time": proposal.times[1]}).status_code == 302
    db.session.expire_all()
    assert db.session.get(MeetingProposal, proposal.id).picked_time is not None
    html = page(client, intro_id).get_data(True)
    link = re.search(r'href="([^"]+\.ics)"', html).group(1)
    ics = client.get(link)
    assert ics.status_code == 200 and b"TZID=America/Chicago" in ics.data


def test_past_times_are_refused_next_to_the_field(client, accepted):
    sme, _, intro_id = accepted
    login(client, sme.email)
    response = post(client, intro_id, "meetings", time_1="2020-01-01T10:00", minutes="60")
    assert response.status_code == 422
    assert field_errors(response.get_data(True), "time_1") == ["Elija una hora en el futuro."]
    bad = post(client, intro_id, "meetings", time_1="mañana", minutes="60")
    assert bad.status_code == 422 and field_errors(bad.get_data(True), "time_1")
    assert db.session.scalars(db.select(MeetingProposal)).all() == []


def _next_skipped_time(zone: str) -> str:
    """The next local time (at half past two) that the clocks skip in ``zone``."""
    tz, start = ZoneInfo(zone), (utcnow() + timedelta(days=2)).date()
    for days in range(400):
        wall = datetime.fromisoformat(f"{start + timedelta(days=days)}T02:30")
        if wall.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).astimezone(tz).replace(
                tzinfo=None) != wall:
            return wall.strftime("%Y-%m-%dT%H:%M")
    raise AssertionError(f"no skipped hour in {zone} within 400 days")


def test_a_time_the_clocks_skip_is_refused_next_to_the_field(client, accepted):
    """A mentor in Texas typed 2:30 on the night the clocks move to 3:00: the proposal was
    stored and shown as 3:30, a time nobody typed; it is refused where it was typed."""
    _, mentor, intro_id = accepted
    login(client, mentor.email)  # US-TX: America/Chicago
    skipped = _next_skipped_time("America/Chicago")
    before = row_counts()
    response = post(client, intro_id, "meetings", time_1=skipped, minutes="60")
    assert response.status_code == 422
    html = response.get_data(True)
    [error] = field_errors(html, "time_1")
    assert "n’existe pas" in error  # the mentor reads French
    assert f'value="{skipped}"' in html
    assert row_counts() == before
    assert db.session.scalars(db.select(MeetingProposal)).all() == []


def test_feedback_comes_after_completion_and_contacts_stay(client, accepted):
    sme, mentor, intro_id = accepted
    login(client, sme.email)
    inbox = client.get("/introductions", headers={"Accept-Language": "en"}).get_data(True)
    assert f"/introductions/{intro_id}/complete" in inbox
    assert f"/introductions/{intro_id}/feedback" not in inbox  # not at acceptance
    assert MENTOR_EMAIL in inbox
    states.complete(sme, intro_id)
    inbox = client.get("/introductions", headers={"Accept-Language": "en"}).get_data(True)
    assert f"/introductions/{intro_id}/feedback" in inbox
    assert f"/introductions/{intro_id}/complete" not in inbox
    assert MENTOR_EMAIL in inbox  # the people you worked with stay reachable
    assert f"/introductions/{intro_id}/conversation" in inbox


@pytest.mark.parametrize("lang, words", [
    ("es", ("Presentadas por el programa", "Presentación hecha por los coordinadores")),
    ("fr", ("Mises en relation par le programme", "Mise en relation faite par les")),
])
def test_program_introductions_are_shown_as_such_to_both_sides(client, make_user, lang,
                                                               words):
    sme, mentor = make_user("sme", locale=lang), make_user("mentor", locale=lang)
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    coordinator = make_user("coordinator")
    intro = service.create_introduction(
        coordinator, {"requester_id": sme.profile.id, "target_id": mentor.profile.id},
        origin=PROGRAM)
    for user, action, absent in ((sme, "turn_down", "withdraw"), (mentor, "accept", None)):
        login(client, user.email)
        html = client.get("/introductions", headers={"Accept-Language": lang}).get_data(True)
        text = text_of(html)
        assert all(w in text for w in words), text
        assert "Introduced by the program coordinators" not in text
        assert f"/introductions/{intro.id}/{action}" in html
        if absent:
            assert f"/introductions/{intro.id}/{absent}" not in html
        client.get("/logout")
    login(client, sme.email)
    token = csrf_token(client, "/introductions")
    client.post(f"/introductions/{intro.id}/turn_down", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Introduction, intro.id).state == "withdrawn"
    assert db.session.scalars(db.select(IntroductionMessage)).all() == []


def test_opening_the_thread_reads_its_notices_and_no_others(client, accepted):
    """A party who opens the conversation directly has read the message notices about it; the
    introduction's own notices (asked, accepted) stay as they were."""
    from models import Notice

    sme, mentor, intro_id = accepted
    login(client, sme.email)
    assert post(client, intro_id, "messages", body="¿Martes?").status_code == 302
    client.get("/logout")

    def unread(user) -> set[str]:
        db.session.expire_all()
        return set(db.session.scalars(db.select(Notice.kind).where(
            Notice.user_id == user.id, Notice.read_at.is_(None))))

    before_sme = unread(sme)
    assert "message" in unread(mentor) and "requested" in unread(mentor)
    login(client, mentor.email)
    assert page(client, intro_id).status_code == 200
    assert "message" not in unread(mentor) and "requested" in unread(mentor)
    assert unread(sme) == before_sme


def test_a_request_closed_because_the_other_party_left_reads_so_on_its_page(app, client,
                                                                            make_user):
    """The inbox said "Closed: the other party left Puente" while the introduction's own
    page said "Withdrawn" — a withdrawal its requester never made."""
    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro_id = service.create_introduction(sme, {"target_id": mentor.profile.id}).id
    make_user("admin", email="root@example.test")
    admin = app.test_client()
    login(admin, "root@example.test")
    assert admin.post(f"/users/{mentor.id}/deactivate",
                      data={"csrf_token": csrf_token(admin, "/users")}).status_code == 302
    login(client, sme.email)
    text = text_of(page(client, intro_id).get_data(as_text=True))
    assert "Closed: the other party left Puente" in text and "Withdrawn" not in text
    # a closed request will never be accepted: the page does not promise messages "once" it is
    assert "once the introduction is accepted" not in text
    assert "This introduction is closed: no more messages can be sent." in text
