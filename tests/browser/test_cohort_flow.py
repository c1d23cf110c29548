"""A coordinator runs a cohort allocation (a background job whose page leads to the
proposal), removes and adds a pair, re-runs it with other options, confirms it; the mentor
finds the introductions in the inbox. The pages fit a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import db
from tests.browser.pages import horizontal_overflow, log_in
from tests.ui.test_profiles import make_profile
from webapp.services import background


@pytest.fixture
def people(make_user):
    """Three SMEs, a mentor of capacity 2 and a coordinator; their e-mails and profile ids."""
    smes = [make_profile(make_user("sme"), "sme", name=f"Taller {i}") for i in range(3)]
    mentor_user = make_user("mentor")
    mentor = make_profile(mentor_user, "mentor", name="Rosa Mentora", capacity=2)
    staff = make_user("coordinator")
    found = {"staff": staff.email, "mentor": mentor_user.email, "mentor_id": mentor.id,
             "sme_ids": [s.id for s in smes], "sme_names": [s.name for s in smes]}
    db.session.rollback()  # end the read, so the live server can write (SQLite)
    return found


def follow_the_job(page) -> None:
    """On a cohort run's job page: run the job (the test is the worker), wait for the page
    to show it finished (jobs.js follows it), then open the proposal."""
    page.wait_for_url(re.compile(r".*/jobs/[0-9a-f]{32}$"))
    expect(page.locator("h1")).to_have_text("Allocating a cohort")
    db.session.rollback()  # end the test's read, so the job's writes do not wait (SQLite)
    assert background.run_job(page.url.rsplit("/", 1)[1])
    expect(page.locator("#job-status")).to_have_text("Finished: Done", timeout=15_000)
    page.get_by_role("link", name=re.compile(r"Open cohort proposal \d+")).click()
    page.wait_for_url(re.compile(r".*/cohorts/\d+$"))


def test_allocate_adjust_rerun_and_confirm(new_page, people, counts, app):
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)  # the test is the worker
    staff = new_page()
    log_in(staff, people["staff"])
    staff.goto("/cohorts")
    staff.fill("#sme_ids", ", ".join(map(str, people["sme_ids"])))
    staff.fill("#mentor_ids", str(people["mentor_id"]))
    staff.get_by_role("button", name="Run the allocation").click()
    follow_the_job(staff)
    first_url = staff.url
    rows = staff.locator("#pairs tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator(".reasons li").first).to_be_visible()
    expect(staff.locator("#unassigned")).to_contain_text("The suitable mentors are full")

    # the mentor is full: adding the third SME is refused next to the mentor field
    chosen = [int(i) for i in re.findall(r'id="pair-(\d+)-', staff.content())]
    left = next(i for i in people["sme_ids"] if i not in chosen)
    staff.fill("#sme_id", str(left))
    staff.fill("#mentor_id", str(people["mentor_id"]))
    staff.get_by_role("button", name="Add pair").click()
    expect(staff.locator("#mentor_id-error")).to_have_text(
        "This mentor has no capacity left for another SME.")
    # remove one pair, then the third SME fits
    staff.goto(first_url)
    staff.locator(f"#pair-{chosen[0]}-{people['mentor_id']}").get_by_role(
        "button", name="Remove").click()
    expect(staff.locator(".flash")).to_contain_text("Pair removed.")
    staff.fill("#sme_id", str(left))
    staff.fill("#mentor_id", str(people["mentor_id"]))
    staff.get_by_role("button", name="Add pair").click()
    expect(staff.locator(".flash")).to_contain_text("Pair added.")
    expect(staff.locator(f"#pair-{left}-{people['mentor_id']}")).to_be_visible()

    # re-run with another objective: a new draft with its diff against this one
    staff.locator(".cohort-rerun input[value=coverage]").check()
    staff.get_by_role("button", name="Run again").click()
    follow_the_job(staff)
    expect(staff.locator("#diff")).to_contain_text("Changes against proposal")
    expect(staff.locator("#pairs tbody tr")).to_have_count(2)

    staff.set_viewport_size({"width": 375, "height": 800})
    assert horizontal_overflow(staff) <= 0
    staff.set_viewport_size({"width": 1280, "height": 900})

    before = counts()["introductions"]
    staff.get_by_role("button", name="Confirm and create the introductions").click()
    expect(staff.locator(".flash")).to_contain_text("2 introductions created, 0 refused")
    expect(staff.locator("#created li")).to_have_count(2)
    expect(staff.get_by_role("button", name="Remove")).to_have_count(0)
    assert counts()["introductions"] == before + 2

    mentor = new_page()
    log_in(mentor, people["mentor"])
    mentor.goto("/introductions")
    # The program's introductions, shown as such (not as the SMEs' own requests).
    expect(mentor.locator("#program article")).to_have_count(2)
    expect(mentor.locator("#program article").first).to_contain_text(
        "Introduced by the program coordinators.")
    expect(mentor.locator("#received article")).to_have_count(0)
