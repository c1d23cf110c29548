"""Each role lands on its home after signing in (in its language, on a phone too); the
notification count in the bar and the list; the coordinator's review queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from models import Introduction, db, utcnow
from tests.browser.pages import axe_violations, horizontal_overflow, log_in
from tests.ui.test_profiles import make_profile
from webapp.services import introductions

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people(make_user):
    """Return a function making an SME, a mentor, a buyer (in a locale) with profiles, a
    coordinator, and a request of the SME's waiting for the mentor for 10 days."""

    def make(locale: str = "en") -> dict:
        users = {role: make_user(role, locale=locale)
                 for role in ("sme", "mentor", "buyer", "coordinator")}
        for role in ("sme", "mentor", "buyer"):
            make_profile(users[role], role)
        intro = introductions.create_introduction(
            users["sme"], {"target_id": users["mentor"].profile.id, "message": "Hola"})
        db.session.get(Introduction, intro.id).created_at = utcnow() - timedelta(days=10)
        db.session.commit()
        found = {role: user.email for role, user in users.items()}
        found["intro"] = intro.id
        db.session.rollback()  # end the read, so the live server can write (SQLite)
        return found

    return make


@pytest.mark.parametrize(("role", "locale", "screen", "heading", "section", "says"), [
    ("sme", "en", {}, "Welcome, Autopartes del Norte", "#open-requests",
     "Rosa Delgado · expires in 4 days"),
    ("sme", "es", PHONE, "Bienvenido, Autopartes del Norte", "#open-requests",
     "Rosa Delgado · vence en 4 días"),
    ("mentor", "fr", PHONE, "Bienvenue, Rosa Delgado", "#to-answer",
     "Autopartes del Norte · Il reste 4 jours pour répondre"),
    ("mentor", "en", {}, "Welcome, Rosa Delgado", "#capacity", "Capacity used: 0 of 3 mentees."),
    ("buyer", "es", PHONE, "Bienvenido, Lone Star Fresh", "#completeness",
     "Su perfil está completo"),
    ("coordinator", "en", PHONE, "Program home", "#queue", "Unreviewed: 1"),
    ("coordinator", "fr", {}, "Accueil du programme", "#queue", "délai de rappel : 1"),
])
def test_each_role_lands_on_its_home(new_page, people, role, locale, screen, heading, section,
                                     says):
    emails = people(locale)
    page = new_page(locale=f"{locale}-MX" if locale == "es" else locale, **screen)
    log_in(page, emails[role])
    assert page.url.endswith("/")
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator(section)).to_contain_text(says)
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []


def test_the_count_in_the_bar_and_the_list(new_page, people):
    emails = people()
    page = new_page(**PHONE)
    log_in(page, emails["mentor"])
    menu = page.locator(".nav-menu > summary")  # a phone's bar is folded into "Menu"
    expect(menu).to_contain_text("1 unread")  # the count shows on it
    menu.click()
    count = page.locator("#unread-count")
    expect(count).to_contain_text("1")
    page.locator("#nav-notifications").click()
    expect(page.locator("#unread-summary")).to_have_text("1 unread notification")
    notice = page.locator(".notice.unread a")
    expect(notice).to_have_text("Autopartes del Norte asks to be introduced to Rosa Delgado.")
    # Each notice is a card: no list bullet hangs outside it.
    assert page.locator(".notice").first.evaluate(
        "li => getComputedStyle(li).listStyleType") == "none"
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    notice.click()
    page.wait_for_url(f"**/introductions#introduction-{emails['intro']}")
    expect(page.locator(f"#introduction-{emails['intro']}")).to_contain_text("Hola")
    expect(count).to_have_count(0)  # read once opened
    page.goto("/notifications")
    expect(page.locator(".notice.unread")).to_have_count(0)


def test_mark_all_read(new_page, people):
    emails = people("es")
    page = new_page(locale="es-MX")
    log_in(page, emails["mentor"])
    page.goto("/notifications")
    page.get_by_role("button", name="Marcar todas como leídas").click()
    expect(page.locator(".flash")).to_have_text(
        "Todas las notificaciones están marcadas como leídas.")
    expect(page.locator("#unread-count")).to_have_count(0)


def test_the_review_queue(new_page, people):
    emails = people()
    page = new_page(**PHONE)
    log_in(page, emails["coordinator"])
    page.locator("#queue a", has_text="Waiting beyond the reminder delay").click()
    expect(page.locator("#queue-total")).to_have_text("1 introduction")
    entry = page.locator(f"#queue-{emails['intro']}")
    expect(entry).to_contain_text("Autopartes del Norte")
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    entry.locator("select").select_option("2")
    entry.get_by_label("Flag for follow-up").check()
    entry.get_by_label("Comment").fill("No answer yet: call the mentor.")
    entry.get_by_role("button", name="Save review").click()
    expect(page.locator(".flash")).to_have_text("Review saved.")
    assert "show=waiting" in page.url  # back to the queue as it was
    page.goto("/review-queue?show=flagged")
    expect(page.locator(f"#queue-{emails['intro']}")).to_contain_text(
        "No answer yet: call the mentor.")
    page.goto("/review-queue?show=unreviewed")
    expect(page.locator("#queue-total")).to_have_text("0 introductions")
