"""The profile editor's script may start after the reader has already acted (a slow network,
a busy machine, a form the browser restored): it picks up the form as it finds it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import sign_up


def held_script(page) -> list:
    """Keep profile.js from arriving: its request waits in the returned list until continued
    (the page is parsed and usable meanwhile; its deferred script has not run)."""
    waiting: list = []

    def hold(route) -> None:
        waiting.append(route)
    page.route("**/static/profile.js*", hold)
    return waiting


def editor_with_script_held(page, email: str) -> list:
    """Sign an SME up, then reload its profile editor with profile.js held back."""
    sign_up(page, "sme", email)
    waiting = held_script(page)
    page.reload(wait_until="commit")
    return waiting


def release(page, waiting: list) -> None:
    while not waiting:  # the held request reaches the route while Playwright runs
        page.wait_for_timeout(20)
    waiting.pop().continue_()


def test_a_country_chosen_before_the_script_starts_keeps_its_subdivisions(page):
    waiting = editor_with_script_held(page, "early-country@example.test")
    page.select_option("#country", "MX")  # before the script runs
    release(page, waiting)
    subdivision = page.locator("#subdivision")
    expect(subdivision).to_have_attribute("data-loaded", "MX")
    expect(page.locator("#subdivision option[value='MX-CHH']")).to_have_count(1)
    expect(page.locator("#subdivision option[value='US-TX']")).to_have_count(0)


def test_a_sector_typed_before_the_script_starts_is_suggested(page):
    waiting = editor_with_script_held(page, "early-sector@example.test")
    page.fill("#sectors", "furn")  # before the script runs
    release(page, waiting)
    expect(page.locator("#sectors-options option[value='337']")).to_have_count(1)
