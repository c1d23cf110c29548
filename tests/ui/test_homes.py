"""Signed-in homes, the notifications page and the review queue (webapp/ui/homes.py)."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from models import Introduction, Notice, User, db, utcnow
from tests.factories import csrf_token, login
from tests.ui.helpers import field_errors, text_of
from tests.ui.test_profiles import make_profile
from webapp.services import introduction_states as states
from webapp.services import introductions as service
from webapp.services import outcome_steps

EN = {"Accept-Language": "en"}


def page(client, path: str = "/", headers=EN) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return text_of(response.get_data(as_text=True))


@pytest.fixture
def pair(make_user):
    """An SME and a mentor with profiles, and a request of the SME's waiting for the mentor."""
    sme, mentor = make_user("sme"), make_user("mentor")
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = service.create_introduction(sme, {"target_id": mentor.profile.id,
                                              "message": "Hola Rosa"})
    return sme, mentor, intro.id


def age(intro_id: int, days: float) -> None:
    """Make an introduction look as if it was requested ``days`` ago."""
    intro = db.session.get(Introduction, intro_id)
    intro.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def test_visitors_keep_the_marketing_home(client):
    assert "Cross-border partners for small businesses" in page(client)


def test_the_mentor_sees_the_request_to_answer_with_the_days_left(client, pair):
    _, mentor, intro_id = pair
    age(intro_id, 10.5)  # expires after 14 days: 3.5 days left, counted 4
    login(client, mentor.email)
    text = page(client)
    assert "Requests waiting for your answer Autopartes del Norte · 4 days left to answer" in text
    assert "Capacity used: 0 of 3 mentees." in text
    assert "Cross-border partners" not in text


@pytest.mark.parametrize(("locale", "said"), [
    ("en", "Capacity used: 0 of 1 mentee."),
    ("es", "Capacidad usada: 0 de 1 mentorado."),
    ("fr", "Capacité utilisée : 0 sur 1 mentoré."),
])
def test_a_capacity_of_one_mentee_reads_in_the_singular(client, make_user, locale, said):
    mentor = make_user("mentor")
    make_profile(mentor, "mentor", capacity=1)
    db.session.get(User, mentor.id).locale = locale
    db.session.commit()
    login(client, mentor.email)
    assert said in page(client, headers={})


def test_a_request_past_its_expiry_no_longer_waits_on_either_home(client, pair):
    """Not yet reached by the sweep, a request past its expiry is not offered to answer with
    "0 days left": answering it would be refused, and it no longer counts as open."""
    sme, mentor, intro_id = pair
    age(intro_id, 14.5)
    login(client, mentor.email)
    assert "Requests waiting for your answer None at the moment." in page(client)
    login(client, sme.email)
    assert "Your open requests None at the moment." in page(client)


def test_the_sme_sees_its_open_request_and_the_mentor_it_waits_for(client, pair):
    sme, _, _ = pair
    login(client, sme.email)
    text = page(client)
    assert "Your open requests Rosa Delgado · expires in 14 days" in text
    assert "Requests waiting for your answer None at the moment." in text


def test_a_home_in_spanish(client, pair):
    _, mentor, _ = pair
    db.session.get(User, mentor.id).locale = "es"
    db.session.commit()
    login(client, mentor.email)
    text = page(client, headers={})
    assert "Solicitudes que esperan su respuesta Autopartes del Norte · Quedan 14 días" in text


def test_steps_to_confirm_show_on_the_other_partys_home(client, pair):
    sme, mentor, intro_id = pair
    states.accept(mentor, intro_id)
    outcome_steps.report_step(mentor, intro_id, {"stage": "session", "minutes": 30,
                                                 "occurred_on": date.today()})
    login(client, sme.email)
    assert "Steps to confirm Mentoring session · reported by Rosa Delgado" in page(client)
    login(client, mentor.email)
    assert "Steps to confirm None at the moment." in page(client)


def test_new_matches_since_the_previous_sign_in(client, make_user, pair):
    sme, _, _ = pair
    login(client, sme.email)
    assert "New matches since your last visit" not in page(client)  # no visit before
    newcomer = make_user("mentor")
    make_profile(newcomer, "mentor", name="Mentora Nueva", expertise=["financing"])
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, sme.email)
    text = page(client)
    assert "New matches since your last visit" in text
    new_part = text.split("New matches since your last visit", 1)[1]
    assert "Mentora Nueva" in new_part and "Rosa Delgado" not in new_part.split("See all")[0]


def test_the_previous_visit_is_dated_in_the_readers_zone(client, pair):
    """A visit at 02:00 UTC was the evening before in Texas: the home said the next day."""
    from babel.dates import format_date

    _, mentor, _ = pair  # US-TX: America/Chicago, hours behind UTC
    login(client, mentor.email)
    utc_day = utcnow().date() - timedelta(days=1)
    db.session.get(User, mentor.id).previous_login_at = datetime(
        utc_day.year, utc_day.month, utc_day.day, 2, tzinfo=UTC)
    db.session.commit()
    local_day = format_date(utc_day - timedelta(days=1), "medium", locale="en")
    assert f"that joined since {local_day}." in page(client)


@pytest.mark.parametrize("kind", ["mentor", "buyer"])
def test_mentors_and_buyers_see_new_smes_since_the_previous_sign_in(client, make_user, kind):
    owner = make_user(kind)
    make_profile(owner, kind)
    make_profile(make_user("sme"), "sme", name="Pyme de Antes")
    login(client, owner.email)
    assert "New matches since your last visit" not in page(client)  # no visit before
    make_profile(make_user("sme"), "sme", name="Pyme Nueva", city="Monterrey",
                 subdivision="MX-NLE", description="Salsas y conservas de chile.")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, owner.email)
    new_part = page(client).split("New matches since your last visit", 1)[1]
    assert "Pyme Nueva" in new_part and "Pyme de Antes" not in new_part.split("See all")[0]


def test_completeness_hints_name_what_is_missing(client, make_user):
    user = make_user("sme")
    make_profile(user, "sme", markets=[], needs_text="")
    login(client, user.email)
    text = page(client)
    assert "Say which markets you target or know." in text
    assert "Describe your needs in your own words." in text
    assert "Add your NAICS sector codes" not in text
    assert "Say which markets you target or know." in page(client, "/profile")


def test_a_member_without_a_profile_is_asked_to_create_one(client, signed_in):
    signed_in("buyer")
    assert "Start with your profile" in page(client)


def test_required_fields_are_marked_before_the_first_save(client, signed_in):
    signed_in("sme")
    html = client.get("/profile", headers=EN).get_data(as_text=True)
    assert "Name (required)" in html and "Country (required)" in html
    assert "Description (required)" not in html
    assert '<input id="name" name="name" required' in html


# -- notifications ---------------------------------------------------------------------------

def test_the_count_in_the_bar_and_the_list(client, pair):
    _, mentor, intro_id = pair
    login(client, mentor.email)
    html = client.get("/", headers=EN).get_data(as_text=True)
    assert 'id="unread-count">1<span class="sr-only"> unread</span>' in html
    # On a phone the bar folds into "Menu": the count shows on it too.
    assert '<summary>Menu <span class="badge">1<span class="sr-only"> unread</span>' in html
    text = page(client, "/notifications")
    assert "1 unread notification" in text
    assert "Autopartes del Norte asks to be introduced to Rosa Delgado." in text


def test_the_count_in_the_bar_is_read_out_in_the_readers_plural(client, make_user, pair):
    _, mentor, _ = pair
    db.session.get(User, mentor.id).locale = "fr"
    db.session.commit()
    login(client, mentor.email)
    assert 'id="unread-count">1<span class="sr-only"> non lue</span>' in client.get(
        "/").get_data(as_text=True)
    other = make_user("sme")
    make_profile(other, "sme", name="Otra Empresa", needs=["financing"])
    service.create_introduction(other, {"target_id": mentor.profile.id})
    assert 'id="unread-count">2<span class="sr-only"> non lues</span>' in client.get(
        "/").get_data(as_text=True)


def test_opening_a_notice_marks_it_read_and_goes_to_its_introduction(client, pair):
    _, mentor, intro_id = pair
    notice = db.session.scalar(db.select(Notice))
    login(client, mentor.email)
    response = client.get(f"/notifications/{notice.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/introductions/{intro_id}"
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).read_at is not None
    assert 'id="unread-count"' not in client.get("/").get_data(as_text=True)


def test_opening_the_introduction_from_its_e_mail_marks_its_notice_read(client, pair):
    """The e-mail's link leads to the introduction as the notice does: the notice about it is
    read (not another user's, and only the opener's)."""
    sme, mentor, intro_id = pair
    notice = db.session.scalar(db.select(Notice))
    login(client, sme.email)  # a party, but not the notice's reader
    assert client.get(f"/introductions/{intro_id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).read_at is None
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, mentor.email)
    assert 'id="unread-count">1<' in client.get("/", headers=EN).get_data(as_text=True)
    response = client.get(f"/introductions/{intro_id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).read_at is not None
    assert 'id="unread-count"' not in client.get("/").get_data(as_text=True)


def test_another_users_notice_answers_404(client, pair):
    sme, _, _ = pair
    notice = db.session.scalar(db.select(Notice))
    login(client, sme.email)
    assert client.get(f"/notifications/{notice.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).read_at is None


def test_mark_all_read(client, pair):
    _, mentor, _ = pair
    login(client, mentor.email)
    token = csrf_token(client, "/notifications")
    response = client.post("/notifications/read", data={"csrf_token": token})
    assert response.status_code == 302
    assert "0 unread notifications" in page(client, "/notifications")
    assert client.post("/notifications/read", data={}).status_code == 400  # no CSRF token


def test_notifications_in_french(client, make_user, pair):
    _, mentor, _ = pair
    db.session.get(User, mentor.id).locale = "fr"
    db.session.commit()
    login(client, mentor.email)
    text = page(client, "/notifications", headers={})
    assert "Autopartes del Norte demande à être présenté à Rosa Delgado." in text


@pytest.mark.parametrize(("locale", "when", "zone"), [
    ("en", "Saturday, July 11, 2026, 11:24 PM", "(Central Time)"),
    ("es", "11 de julio de 2026", "(hora central)"),
    ("fr", "samedi 11 juillet 2026, 23 h 24", "(heure du Centre)"),
])
def test_notification_times_are_in_the_readers_zone(client, pair, locale, when, zone):
    _, mentor, _ = pair  # US-TX: America/Chicago, five hours behind UTC in July
    db.session.scalar(db.select(Notice)).created_at = datetime(2026, 7, 12, 4, 24, tzinfo=UTC)
    db.session.get(User, mentor.id).locale = locale
    db.session.commit()
    login(client, mentor.email)
    text = page(client, "/notifications", headers={})
    assert when in text and zone in text and "America/" not in text


# -- staff ------------------------------------------------------------------------------------

def test_the_coordinator_home_counts_the_review_queue(client, make_user, pair):
    _, _, intro_id = pair
    age(intro_id, 12)
    staff = make_user("coordinator")
    login(client, staff.email)
    html = client.get("/", headers=EN).get_data(as_text=True)
    text = text_of(html)
    assert ("Unreviewed: 1 Flagged: 0 Waiting beyond the reminder delay: 1 "
            "Requests near expiry: 1") in text
    assert 'href="/review-queue?show=flagged"' in html
    # every figure after its label, as a state's label (one introduction's: "Aceptada") needs
    assert "Active profiles SMEs: 1 Mentors: 1 Buyers: 0" in text


def test_the_review_queue_shows_a_request_past_its_expiry_as_expired(client, make_user, pair):
    _, _, intro_id = pair
    age(intro_id, 15)  # past its expiry (14 days); the sweep has not run
    login(client, make_user("coordinator").email)
    assert "Waiting beyond the reminder delay: 0 Requests near expiry: 0" in page(client, "/")
    assert "0 introductions" in page(client, "/review-queue?show=waiting")
    assert "0 introductions" in page(client, "/review-queue?show=near_expiry")
    listed = page(client, "/review-queue")
    assert f"#{intro_id} " in listed and " · Expired · " in listed
    assert " · Requested · " not in listed


def test_the_review_queue_filters(client, make_user, pair):
    sme, mentor, intro_id = pair
    other = make_user("sme")
    make_profile(other, "sme", name="Otra Empresa", needs=["financing"])
    second = service.create_introduction(other, {"target_id": mentor.profile.id})
    age(intro_id, 8)
    staff = make_user("coordinator")
    service.add_review(staff, second.id, 2, "Odd pairing", flag=True)
    login(client, staff.email)
    queue = lambda q: page(client, f"/review-queue?{q}")  # noqa: E731
    assert "2 introductions" in queue("")
    assert f"#{intro_id} " in queue("show=unreviewed") and "1 introduction" in queue(
        "show=unreviewed")
    flagged = queue("show=flagged")
    assert f"#{second.id} " in flagged and f"#{intro_id} " not in flagged
    waiting = queue("show=waiting")
    assert f"#{intro_id} " in waiting and f"#{second.id} " not in waiting
    assert "0 introductions" in queue("show=flagged&show=waiting")


def test_a_review_from_the_queue_comes_back_to_it(client, make_user, pair):
    _, _, intro_id = pair
    staff = make_user("coordinator")
    login(client, staff.email)
    token = csrf_token(client, "/review-queue?show=unreviewed")
    response = client.post(f"/dashboard/{intro_id}/review", data={
        "csrf_token": token, "rating": "4", "comment": "", "next": "/review-queue?show=unreviewed"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/review-queue?show=unreviewed"
    assert "0 introductions" in page(client, "/review-queue?show=unreviewed")


@pytest.mark.parametrize(("typed", "field", "error"), [
    ({"rating": ""}, "rating", "Choose a rating from 1 to 5."),
    ({"rating": "7"}, "rating", "Choose a rating from 1 to 5."),
    ({"rating": "4", "comment": "x" * 2001}, "comment", "Use at most 2000 characters."),
])
def test_a_refused_review_comes_back_to_the_queue_as_it_was(
        client, make_user, pair, monkeypatch, typed, field, error):
    monkeypatch.setattr("webapp.ui.homes.QUEUE_PER_PAGE", 1)
    _, mentor, first = pair
    age(first, 2)  # the oldest, on page 1
    other = make_user("sme")
    make_profile(other, "sme", name="Otra Empresa", needs=["financing"])
    second = service.create_introduction(other, {"target_id": mentor.profile.id}).id
    staff = make_user("coordinator")
    login(client, staff.email)
    here = "/review-queue?show=unreviewed&page=2"
    sent = {"comment": "Revisar el giro", **typed}
    response = client.post(f"/dashboard/{second}/review", headers=EN, data={
        "csrf_token": csrf_token(client, here), **sent, "flag": "y", "next": here})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "<h1>Review queue</h1>" in html
    assert f"#{second} " in text and f"#{first} " not in text and "Page 2 of 2" in text
    assert field_errors(html, f"{field}-{second}") == [error]
    assert f'>{sent["comment"]}</textarea>' in html  # what was typed is kept
    assert f'id="flag-{second}" name="flag" value="y" checked' in html
    if typed["rating"] == "4":
        assert '<option value="4" selected>' in html
    assert f'name="next" value="{here}"'.replace("&", "&amp;") in html


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_members_cannot_open_the_review_queue(client, signed_in, role):
    signed_in(role)
    assert client.get("/review-queue").status_code == 403


# -- program introductions: the program's, on both homes ---------------------------------------

def section(html: str, section_id: str) -> str:
    """Return the text of one section of a home (tags removed: a link inside a sentence
    leaves no space)."""
    parts = html.split(f'id="{section_id}">')
    if len(parts) < 2:
        return ""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", parts[1].split("</section>")[0]))
                    .split())


@pytest.mark.parametrize(("lang", "heading", "waiting", "answer"), [
    ("en", "Introduced by the program",
     "Waiting for Rosa Delgado to accept. It expires in 14 days.", "14 days left to answer"),
    ("es", "Presentadas por el programa",
     "Esperando a que Rosa Delgado acepte. Vence en 14 días.", "Quedan 14 días"),
    ("fr", "Mises en relation par le programme",
     "En attente de l’acceptation de Rosa Delgado. Elle expire dans 14 jours.", "14 jours"),
])
def test_a_program_introduction_is_shown_as_the_programs_on_both_homes(
        client, make_user, lang, heading, waiting, answer):
    from models.introductions import PROGRAM

    sme, mentor = make_user("sme", locale=lang), make_user("mentor", locale=lang)
    make_profile(sme, "sme")
    make_profile(mentor, "mentor")
    intro = service.create_introduction(
        make_user("coordinator"),
        {"requester_id": sme.profile.id, "target_id": mentor.profile.id}, origin=PROGRAM)
    login(client, sme.email)
    html = client.get("/").get_data(as_text=True)
    assert "Rosa Delgado" not in section(html, "open-requests")  # not its own request
    program = section(html, "program-introductions")
    assert program.startswith(heading) and "Rosa Delgado" in program and waiting in program
    assert f'href="/introductions/{intro.id}"' in html.split('id="program-introductions"')[1]
    client.get("/logout")
    login(client, mentor.email)
    html = client.get("/").get_data(as_text=True)
    assert "Autopartes del Norte" not in section(html, "to-answer")
    program = section(html, "program-introductions")
    assert program.startswith(heading) and "Autopartes del Norte" in program
    assert answer in program


def test_no_program_section_without_program_introductions(client, pair):
    sme, _, _ = pair
    login(client, sme.email)
    assert 'id="program-introductions"' not in client.get("/").get_data(as_text=True)
