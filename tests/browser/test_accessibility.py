"""Every page of the site passes axe-core (WCAG 2.1 A and AA, axe-core from npm as
package-lock.json pins it) with zero violations, for each role that can see it, on a desktop
and on a 390-pixel phone, in English and for some pages in Spanish and French: with content
(a seeded program history, introductions in several states) and in its error states (a form
with every field's error shown, a refused login, the error page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.pages import axe_violations, log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}


def check(page, paths) -> dict[str, list[str]]:
    """Open each path (it must answer, not send to the login) and return the violations
    axe-core finds, by page."""
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.ok or path == "/no-such-page", f"{path}: {response.status}"
        assert path == "/login" or "/login" not in page.url, f"{path} asked for a login"
        found[f"{path} ({page.url})"] = axe_violations(page)
    return {where: problems for where, problems in found.items() if problems}


def member_paths(people: dict, role: str) -> list[str]:
    """The pages a member of a profile role sees: its own and another's profile too."""
    other = people["mentor_id"] if role != "mentor" else people["sme_id"]
    paths = ["/", "/profile", f"/profiles/{other}", "/matches", "/matches/saved",
             "/matches?q=a&page=2", "/introductions", "/account", "/notifications"]
    if role in ("sme", "mentor"):  # the parties of the accepted introduction
        paths.append(f"/introductions/{people['accepted_id']}/conversation")
    return paths


def staff_paths(people: dict) -> list[str]:
    """The pages a coordinator sees, with a profile, an allocation, the program's figures, the
    model and a job finished and one waiting, a cohort run finished and one refused, and a
    finished CSV export with its download link."""
    return ["/", "/dashboard", "/dashboard/metrics", "/profiles", f"/profiles/{people['sme_id']}",
            f"/profiles/{people['sme_id']}/edit", "/profiles/new/buyer", "/cohorts",
            f"/cohorts/{people['cohort_id']}", "/program/rules", "/model",
            *(f"/jobs/{job}" for job in people["jobs"]), "/account", "/notifications",
            "/review-queue", "/review-queue?show=unreviewed&show=waiting", "/impact"]


def test_the_check_reports_what_and_where(new_page):
    """A page with an unlabelled field and no language fails, naming the rules and elements."""
    page = new_page()
    page.set_content("<!doctype html><title>x</title><main><input id=q></main>")
    problems = axe_violations(page)
    assert any(p.startswith("label (critical") and "#q" in p for p in problems), problems
    assert any(p.startswith("html-has-lang") for p in problems), problems


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("locale", ["en-US", "es-MX", "fr-CA"])
def test_public_pages(new_page, account, locale, screen):
    page = new_page(locale=locale, **SCREENS[screen])
    assert check(page, ["/", "/login", "/signup", "/no-such-page"]) == {}
    log_in(page, account("sme"), password="not the password")  # refused: the error shown
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []
    page.goto("/signup")
    page.locator("form.card button[type=submit]").click()  # every field's error shown
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize(("role", "locale", "screen"), [
    ("sme", "en-US", "desktop"), ("sme", "en-US", "phone"), ("sme", "es-MX", "phone"),
    ("mentor", "en-US", "desktop"), ("mentor", "fr-CA", "phone"),
    ("buyer", "en-US", "desktop"), ("buyer", "en-US", "phone"),
])
def test_member_pages(new_page, site, role, locale, screen):
    people = site(locale[:2])
    page = new_page(locale=locale, **SCREENS[screen])
    log_in(page, people[role])
    assert check(page, member_paths(people, role)) == {}
    page.goto("/profile")
    page.fill("#name", "")
    page.locator(".profile-form button[type=submit]").click()  # the field's error shown
    expect(page.locator("#name-error")).to_be_visible()
    assert axe_violations(page) == []
    if role in ("sme", "mentor"):
        page.goto(f"/introductions/{people['accepted_id']}/conversation")
        page.locator("#messages button[type=submit]").click()  # an empty message refused
        expect(page.locator("#body-error")).to_be_visible()
        assert axe_violations(page) == []


@pytest.mark.parametrize(("locale", "screen"), [
    ("en-US", "desktop"), ("en-US", "phone"), ("es-MX", "desktop"), ("fr-CA", "phone"),
])
def test_staff_pages(new_page, site, locale, screen):
    people = site(locale[:2])
    page = new_page(locale=locale, **SCREENS[screen])
    log_in(page, people["staff"])
    assert check(page, staff_paths(people)) == {}
    page.goto("/dashboard")  # a step confirmed on a party's behalf needs a note: its error
    form = page.locator("form.on-behalf").first
    form.locator("textarea").fill("   ")
    form.locator("button").click()
    expect(page.locator("form.on-behalf .has-error .error").first).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_api_reference(new_page, screen):
    """The API reference (Swagger UI at /api/v1/docs) passes as loaded, and as a developer uses
    it: an operation opened, tried and executed (its response shown), one with a request body
    being edited, the Authorize dialog, and a schema opened down to a nested property."""
    page = new_page(**SCREENS[screen])
    page.goto("/api/v1/docs")
    listing = page.locator("#operations-mentors-get_api_v1_mentors")
    expect(listing.locator(".opblock-summary-control")).to_be_visible()
    assert axe_violations(page) == []

    listing.locator(".opblock-summary-control").click()
    listing.get_by_role("button", name="Try it out").click()
    listing.get_by_role("button", name="Execute").click()
    expect(listing.locator(".live-responses-table tbody .response-col_status")).to_have_text("401")
    creating = page.locator("#operations-introductions-post_api_v1_introductions")
    creating.locator(".opblock-summary-control").click()
    creating.get_by_role("button", name="Try it out").click()
    expect(creating.locator("textarea.body-param__text")).to_be_editable()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Authorize").first.click()
    expect(page.locator(".modal-ux")).to_be_visible()
    assert axe_violations(page) == []
    page.locator(".modal-ux button.close-modal").click()

    problem = page.locator("#model-Problem")
    problem.locator(".model-box-control").first.click()
    params = problem.locator("tr.property-row", has_text="params").locator(".model-box-control")
    params.click()
    expect(params).to_have_attribute("aria-expanded", "true")
    expect(params).to_have_accessible_name("params")  # its visible text is only an icon
    assert axe_violations(page) == []
