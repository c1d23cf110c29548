"""An SME browses its matches in Chromium: the request box opens on demand, a requested
match says so, pages go further than 20, search, save (and the Saved view), hide with an
undo. The navigation folds into a menu on a phone; the cohort form picks people by name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import db
from tests.browser.pages import axe_violations, horizontal_overflow, log_in
from tests.browser.test_cohort_flow import follow_the_job
from tests.ui.test_profiles import make_profile

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sme_and_mentors(make_user):
    """An SME account with its profile and 23 distinct mentors; e-mail and mentor names."""
    user = make_user("sme")
    make_profile(user, "sme")
    names = []
    for i in range(23):
        mentor = make_profile(make_user("mentor"), "mentor", name=f"Mentor {i:02d}",
                              bio=f"Topic{i} quality and customs coaching, case {i}.")
        names.append(mentor.name)
    db.session.rollback()  # end the read, so the live server can write (SQLite)
    return user.email, names


def test_browse_request_save_hide_and_page(new_page, sme_and_mentors):
    email, names = sme_and_mentors
    page = new_page()
    log_in(page, email)
    page.goto("/matches")
    cards = page.locator("li.match")
    expect(cards).to_have_count(20)
    first = cards.first
    name = first.locator("h2 a").inner_text()
    # The message box is closed until asked for.
    box = first.locator("textarea")
    expect(box).to_be_hidden()
    first.get_by_text("Request introduction").click()
    expect(box).to_be_visible()
    box.fill("Hola, ¿nos ayuda con la certificación?")
    first.get_by_role("button", name="Send the request").click()
    expect(page.locator(".flash")).to_contain_text("Introduction requested")
    card = page.locator("li.match", has_text=name)
    expect(card.locator(".intro-state")).to_contain_text("waiting for their answer")
    expect(card.get_by_text("Request introduction")).to_have_count(0)
    expect(card.get_by_role("link", name="See the introduction")).to_be_visible()

    # Further than the first 20.
    page.get_by_role("link", name="Next").click()
    expect(page.locator("li.match")).to_have_count(3)
    page.get_by_role("link", name="Previous").click()
    expect(page.locator("li.match")).to_have_count(20)

    # Search by a word of a mentor's text.
    page.fill("#q", "topic17")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("li.match")).to_have_count(1)
    expect(page.locator("li.match h2")).to_contain_text("Mentor 17")

    # Save one; it shows under Saved.
    page.locator("li.match").first.get_by_role("button", name="Save for later").click()
    expect(page.locator("li.match").first.locator(".badge")).to_have_text("Saved")
    page.get_by_role("link", name="Saved", exact=True).click()
    expect(page.locator("li.match")).to_have_count(1)
    expect(page.locator("li.match h2")).to_contain_text("Mentor 17")

    # Hide another; it is gone from every page, and an undo brings it back.
    page.goto("/matches")
    target = page.locator("li.match").nth(1)
    hidden = target.locator("h2 a").inner_text()
    target.get_by_role("button", name="Hide").click()
    expect(page.locator(".undo")).to_contain_text(f"{hidden} is hidden")
    expect(page.locator("li.match", has_text=hidden)).to_have_count(0)
    page.get_by_role("link", name="Next").click()
    expect(page.locator("li.match", has_text=hidden)).to_have_count(0)
    page.goto("/matches")
    target = page.locator("li.match").nth(1)
    target.get_by_role("button", name="Hide").click()
    page.locator(".undo").get_by_role("button", name="Undo").click()
    expect(page.locator(".undo")).to_have_count(0)
    assert axe_violations(page) == []


def test_twenty_cards_are_a_short_page(new_page, sme_and_mentors):
    email, _ = sme_and_mentors
    page = new_page()
    log_in(page, email)
    page.goto("/matches")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, f"the matches page is {height} px high"


def test_the_menu_folds_on_a_phone_and_opens_on_demand(new_page, sme_and_mentors):
    email, _ = sme_and_mentors
    page = new_page(**PHONE)
    log_in(page, email)
    page.goto("/matches")
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 110, f"the folded header is {header['height']} px high"
    menu = page.locator(".nav-menu > summary")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="My profile")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="My profile")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.get_by_role("link", name="My profile").click()
    page.wait_for_url(re.compile(r".*/profile$"))

    wide = new_page()
    log_in(wide, email)
    expect(wide.locator(".nav-menu > summary")).to_be_hidden()
    expect(wide.get_by_role("link", name="My matches")).to_be_visible()


def test_the_cohort_form_picks_people_places_and_languages_by_name(new_page, make_user, app):
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)  # the test is the worker
    smes = [make_profile(make_user("sme"), "sme", name=name)
            for name in ("Taller Norte", "Conservas del Golfo")]
    mentor = make_profile(make_user("mentor"), "mentor", name="Rosa Mentora")
    staff = make_user("coordinator")
    ids = [s.id for s in smes]
    db.session.rollback()
    page = new_page()
    log_in(page, staff.email)
    page.goto("/cohorts")
    finder = page.locator("#find-sme")
    finder.fill(str(ids[1]))
    finder.press("Enter")
    expect(page.locator("#sme_ids")).to_have_value(str(ids[1]))
    expect(page.locator(".finder[data-finder-for=sme_ids] [role=status]")).to_contain_text(
        "Conservas del Golfo")
    page.locator("#find-mentor").fill(str(mentor.id))
    page.locator("#find-mentor").press("Enter")
    expect(page.locator("#mentor_ids")).to_have_value(str(mentor.id))
    page.select_option("#mentor_language", label="Spanish")
    page.locator("#mentor_ids").fill("")
    page.select_option("#mentor_country", "US")
    page.select_option("#mentor_subdivision", label="Texas")
    assert page.locator("#sme_sector").get_attribute("list") == "naics-groups"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Run the allocation").click()
    follow_the_job(page)
    expect(page.locator("#pairs tbody tr")).to_have_count(1)
    expect(page.locator("#pairs")).to_contain_text("Conservas del Golfo")
