"""An SME asks a mentor from its matches; the mentor accepts; contacts show to the two only;
a coordinator reviews the introduction on the dashboard. The new pages fit a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import db
from tests.browser.pages import horizontal_overflow, log_in
from tests.ui.test_profiles import make_profile

SME_EMAIL = "ventas@autopartes.example"
MENTOR_EMAIL = "rosa@mentor.example"


@pytest.fixture
def people(make_user):
    """An SME, a mentor and another SME with profiles, and a coordinator; their e-mails."""
    users = {role: make_user(kind) for role, kind in
             (("sme", "sme"), ("mentor", "mentor"), ("third", "sme"), ("staff", "coordinator"))}
    make_profile(users["sme"], "sme")
    make_profile(users["mentor"], "mentor")
    make_profile(users["third"], "sme", name="Otra Empresa", contact_email="otra@x.example")
    emails = {role: user.email for role, user in users.items()}
    emails["mentor_profile"] = users["mentor"].profile.id
    db.session.rollback()  # end the read, so the live server can write (SQLite)
    return emails


def test_request_accept_contacts_and_review(new_page, people, counts):
    sme = new_page()
    log_in(sme, people["sme"])
    sme.goto("/matches")
    card = sme.locator(f"#match-{people['mentor_profile']}")
    expect(card.locator("h2")).to_have_text("Rosa Delgado")
    expect(card.locator(".reasons li").first).to_be_visible()
    expect(sme.get_by_text(MENTOR_EMAIL)).to_have_count(0)
    card.get_by_text("Request introduction").click()  # the message box opens on demand
    card.locator("textarea").fill("Buscamos la certificación IATF 16949.")
    card.get_by_role("button", name="Send the request").click()
    expect(sme.locator(".flash")).to_contain_text("Introduction requested")
    expect(sme.locator(f"#match-{people['mentor_profile']} .intro-state")).to_contain_text(
        "waiting for their answer")

    mentor = new_page()
    log_in(mentor, people["mentor"])
    mentor.goto("/introductions")
    request = mentor.locator("#received article")
    expect(request).to_contain_text("Buscamos la certificación IATF 16949.")
    expect(mentor.get_by_text(SME_EMAIL)).to_have_count(0)
    request.get_by_role("button", name="Accept").click()
    expect(mentor.locator(".flash")).to_contain_text("Introduction accepted")
    expect(mentor.locator("#accepted .contacts")).to_contain_text(SME_EMAIL)

    sme.goto("/introductions")
    expect(sme.locator("#accepted .contacts")).to_contain_text(MENTOR_EMAIL)

    third = new_page()
    log_in(third, people["third"])
    for path in ("/introductions", f"/profiles/{people['mentor_profile']}", "/matches"):
        third.goto(path)
        expect(third.get_by_text(MENTOR_EMAIL)).to_have_count(0)
        expect(third.get_by_text(SME_EMAIL)).to_have_count(0)

    staff = new_page()
    log_in(staff, people["staff"])
    staff.goto("/dashboard")
    expect(staff.locator("#acceptance-rate")).to_have_text("100%")
    entry = staff.locator("article.intro").first
    expect(entry.locator(".reasons li").first).to_be_visible()
    expect(staff.get_by_text(MENTOR_EMAIL)).to_have_count(0)
    before = counts()
    entry.get_by_role("button", name="Save review").click()  # no rating chosen
    expect(staff.locator(".error").first).to_have_text("Choose a rating from 1 to 5.")
    assert counts() == before
    entry = staff.locator("article.intro").first
    entry.locator("select").select_option("4")
    entry.locator("textarea").fill("Seguimiento en enero")
    entry.get_by_label("Flag for follow-up").check()
    entry.get_by_role("button", name="Save review").click()
    expect(staff.locator(".flash")).to_contain_text("Review saved.")
    expect(staff.locator("article.intro").first).to_contain_text("Flagged")


@pytest.mark.parametrize("path, role", [("/matches", "sme"), ("/introductions", "mentor"),
                                        ("/dashboard", "staff")])
def test_new_pages_fit_a_phone(new_page, people, path, role):
    """With an accepted introduction, so that contacts and every form are on the pages."""
    from models import User
    from webapp.services import introduction_states, introductions

    def user(email):
        return db.session.scalars(db.select(User).where(User.email == email)).one()

    intro = introductions.create_introduction(
        user(people["sme"]), {"target_id": people["mentor_profile"], "message": "Hola " * 60})
    introduction_states.accept(user(people["mentor"]), intro.id)
    db.session.rollback()
    page = new_page(width=390, height=844)
    log_in(page, people[role])
    page.goto(path)
    expect(page.locator("h1")).to_be_visible()
    if path == "/introductions":
        expect(page.locator("#accepted .contacts")).to_contain_text(SME_EMAIL)
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_new_pages_speak_the_users_language(new_page, people, lang):
    from tests.browser.test_languages import assert_no_english

    sme = new_page(locale=lang)
    log_in(sme, people["sme"])
    sme.goto(f"/matches?lang={lang}")
    assert_no_english(sme, lang)
    card = sme.locator(f"#match-{people['mentor_profile']}")
    card.locator("details.request > summary").click()
    card.locator("details.request button[type=submit]").click()
    expect(sme.locator(".flash")).to_be_visible()
    assert_no_english(sme, lang)
    sme.goto(f"/introductions?lang={lang}")
    assert_no_english(sme, lang)

    mentor = new_page(locale=lang)
    log_in(mentor, people["mentor"])
    mentor.goto(f"/introductions?lang={lang}")
    assert_no_english(mentor, lang)

    staff = new_page(locale=lang)
    log_in(staff, people["staff"])
    staff.goto(f"/dashboard?lang={lang}")
    assert_no_english(staff, lang)
