"""(a) An SME signs up and fills its profile: a bad value first, then correctly."""

from __future__ import annotations

from playwright.sync_api import expect

from models import Profile, db
from tests.browser.pages import sign_up


def test_sme_signs_up_and_fills_its_profile(page, counts):
    sign_up(page, "sme", "maquila@example.test")  # and logs in, as the login page asks
    expect(page.locator("h1")).to_have_text("New SME profile")

    page.fill("#name", "Maquiladora del Bravo")
    page.select_option("#country", "US")  # the script refills the states from the API
    expect(page.locator("#subdivision")).to_have_attribute("data-loaded", "US")
    expect(page.locator("#subdivision option[value='US-TX']")).to_have_count(1)
    expect(page.locator("#subdivision option[value='MX-CHH']")).to_have_count(0)
    page.select_option("#country", "MX")
    expect(page.locator("#subdivision")).to_have_attribute("data-loaded", "MX")
    page.select_option("#subdivision", "MX-CHH")
    page.fill("#city", "Ciudad Juárez")
    page.get_by_label("Spanish", exact=True).check()
    page.get_by_label("Rules of origin (USMCA)").check()
    page.fill("#certifications", "ISO 9001")
    page.press("#certifications", "Enter")  # becomes a ticked box
    expect(page.locator("#certifications-chosen input[value='ISO 9001']")).to_be_checked()
    page.fill("#sectors", "999999")  # the bad value: not a NAICS code
    before = counts()
    page.get_by_role("button", name="Save the profile").click()

    error = page.locator(".field:has(#sectors) #sectors-error")
    expect(error).to_have_text("Unknown NAICS 2022 code: 999999.")
    expect(page.locator(".alert")).to_contain_text("nothing was saved")
    expect(page.locator("#sectors")).to_have_attribute("aria-invalid", "true")
    assert counts() == before
    expect(page.locator("#name")).to_have_value("Maquiladora del Bravo")  # input kept

    page.fill("#sectors", "furn")  # suggestions with titles, from the taxonomy API
    expect(page.locator("#sectors-options option[value='337']")).to_have_count(1)
    page.fill("#sectors", "3363")
    page.press("#sectors", "Enter")
    expect(page.locator("#sectors-chosen")).to_contain_text("Motor Vehicle Parts Manufacturing")
    page.get_by_role("button", name="Save the profile").click()

    expect(page.locator(".flash")).to_have_text("Profile saved.")
    expect(page.locator("h1")).to_have_text("Maquiladora del Bravo")
    expect(page.locator("#field-subdivision")).to_have_text("Chihuahua")
    profile = db.session.scalar(db.select(Profile))
    saved = (profile.sectors, profile.languages, profile.needs, profile.certifications)
    db.session.rollback()
    assert saved == (["3363"], ["es"], ["rules_of_origin"], ["ISO 9001"])
    assert counts()["profiles"] == before["profiles"] + 1


def test_profile_editor_works_without_javascript(browser, live_server, counts):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_up(page, "mentor", "rosa@example.test")
        page.fill("#name", "Rosa Delgado")
        page.select_option("#country", "US")
        page.select_option("#subdivision", "US-TX")  # every country's, grouped
        page.fill("#city", "El Paso")
        page.fill("#sectors", "3363, 336390")
        page.get_by_label("English", exact=True).check()
        page.fill("#capacity", "4")
        page.get_by_role("button", name="Save the profile").click()
        page.wait_for_url("**/profiles/*")
        assert "Profile saved." in page.inner_text(".flash")
        assert counts()["profiles"] == 1
    finally:
        context.close()
