"""A coordinator previews a stricter rule, sees who leaves the sample's tops, fixes a bad
weight shown by its field, saves; the SME's matches obey. The page passes axe-core with no
violation (desktop and a 390-pixel phone, in English, Spanish and French) and fits a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import db
from tests.browser.pages import axe_violations, horizontal_overflow, log_in
from tests.ui.test_profiles import make_profile


@pytest.fixture
def people(make_user):
    """An SME (with an account), a mentor of its country and one across the border, staff."""
    sme_user = make_user("sme")
    make_profile(sme_user, "sme", name="Autopartes del Norte")
    staff = make_user("coordinator")
    make_profile(staff, "mentor", name="Laura Treviño", country="MX", subdivision="MX-CHH",
                 city="Chihuahua", languages=["es"])
    make_profile(staff, "mentor", name="Rosa Delgado")
    found = {"staff": staff.email, "sme": sme_user.email}
    db.session.rollback()  # end the read, so the live server can write (SQLite)
    return found


def test_preview_fix_and_save_a_rule(new_page, people):
    staff = new_page()
    log_in(staff, people["staff"])
    staff.get_by_role("link", name="Program rules").click()
    staff.locator("#sme_mentor-cross_border_only").check()
    staff.get_by_role("button", name="Preview").click()
    entry = staff.locator(".preview-entry", has_text="Autopartes del Norte").first
    expect(entry).to_contain_text("Laura Treviño")
    expect(entry.locator("li", has_text="Laura Treviño")).to_contain_text("leaves")
    assert axe_violations(staff) == []

    staff.fill("#sme_mentor-weights-location", "7")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator("#sme_mentor-weights-location-error")).to_have_text(
        "Enter a number from 0 to 5.")
    expect(staff.locator("#sme_mentor-weights-location")).to_have_attribute(
        "aria-invalid", "true")
    assert axe_violations(staff) == []

    staff.fill("#sme_mentor-weights-location", "2")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator(".flash")).to_have_text("The program rules are saved.")
    expect(staff.locator("#sme_mentor-cross_border_only")).to_be_checked()

    sme = new_page()
    log_in(sme, people["sme"])
    sme.goto("/matches")
    expect(sme.locator("main")).to_contain_text("Rosa Delgado")
    expect(sme.locator("main")).not_to_contain_text("Laura Treviño")


@pytest.mark.parametrize("locale", ["en-US", "es-MX", "fr-CA"])
def test_the_page_is_accessible_and_fits_a_phone(new_page, people, account, locale):
    phone = new_page(locale=locale, width=390, height=844)
    log_in(phone, account("coordinator", locale=locale[:2]))
    phone.goto("/program/rules")
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) <= 0
    phone.get_by_role("button", name={"en-US": "Preview", "es-MX": "Vista previa",
                                      "fr-CA": "Aperçu"}[locale]).click()
    expect(phone.locator("#preview")).to_be_visible()
    assert axe_violations(phone) == []
    assert horizontal_overflow(phone) <= 0
