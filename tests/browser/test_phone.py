"""(c) Every page fits a 390-pixel-wide phone screen without horizontal scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import horizontal_overflow, log_in, sign_up

PHONE = {"width": 390, "height": 844}


def assert_fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert horizontal_overflow(page) <= 0


@pytest.mark.parametrize("locale", ["en-US", "fr-CA"])
def test_pages_fit_a_phone(new_page, account, locale):
    page = new_page(locale=locale, **PHONE)
    for path in ("/", "/login", "/signup", "/no-such-page"):
        page.goto(path)
        assert_fits(page)

    sign_up(page, "sme", f"phone-{locale}@example.test")
    assert_fits(page)
    page.locator(".profile-form button[type=submit]").click()  # every field's error shown
    expect(page.locator("#name-error")).to_be_visible()
    assert_fits(page)
    page.fill("#name", "Conservas Finas de Sonora, Sociedad Anónima de Capital Variable")
    page.select_option("#country", "MX")
    expect(page.locator("#subdivision")).to_have_attribute("data-loaded", "MX")
    page.select_option("#subdivision", "MX-SON")
    page.fill("#city", "Hermosillo")
    page.fill("#sectors", "311421")
    page.press("#sectors", "Enter")
    expect(page.locator("#sectors-chosen li")).to_have_count(1)
    page.locator("input[name=languages][value=es]").check()
    page.locator(".profile-form button[type=submit]").click()
    page.wait_for_url("**/profiles/*")
    assert_fits(page)

    page.goto("/account")
    page.fill("#name", "Sincronización del inventario con el ERP de la planta")
    page.locator("#tokens form.row button[type=submit]").click()
    expect(page.locator("#new-token")).to_be_visible()
    assert_fits(page)

    page.goto("/")
    page.locator(".nav-menu > summary").click()  # the menu is folded on a phone
    page.locator(".main-nav button").click()  # log out
    log_in(page, account("coordinator"))
    page.goto("/profiles")
    expect(page.locator("table.stack tbody tr")).to_have_count(1)
    assert_fits(page)


def test_coordinator_pages_fit_a_phone(new_page, account):
    """The dashboard, the metrics (charts and wide tables) and the cohort pages, with content."""
    from webapp.services import accounts, demo_history, demo_seed

    demo_seed.seed_profiles(smes=60, mentors=20, buyers=0, seed=7)
    email = account("coordinator")
    history = demo_history.seed_program_history(accounts.find_user_by_email(email), seed=7)
    assert history.introductions > 0
    page = new_page(**PHONE)
    log_in(page, email)
    for path in ("/dashboard", "/dashboard/metrics", "/cohorts", "/cohorts/2"):
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_fits(page)
