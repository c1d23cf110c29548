"""An SME and a buyer with an accepted introduction: the SME reports an order on the
introductions page, the buyer confirms it, and a coordinator sees it counted on /impact.
The introductions page with its steps and the impact page pass axe-core and fit a phone."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from models import db
from tests.browser.pages import axe_violations, horizontal_overflow, log_in
from tests.ui.test_profiles import make_profile


@pytest.fixture
def trade(make_user):
    """A Mexican SME and a US buyer whose introduction the buyer accepted; a coordinator."""
    from webapp.services import introduction_states
    from webapp.services.introductions import request_introduction

    users = {role: make_user(role) for role in ("sme", "buyer", "coordinator", "admin")}
    sme = make_profile(users["sme"], "sme")
    buyer = make_profile(users["buyer"], "buyer")
    assert sme.country != buyer.country  # an order between them is an export
    intro = request_introduction(users["sme"], {"target_id": buyer.id,
                                                "message": "Tomates para exportar."})
    introduction_states.accept(users["buyer"], intro.id)
    emails = {role: user.email for role, user in users.items()}
    emails["intro_id"] = intro.id
    db.session.rollback()  # end the read, so the live server can write (SQLite)
    return emails


def test_an_order_reported_and_confirmed_counts_in_the_impact_report(new_page, trade):
    today = date.today()
    sme = new_page()
    log_in(sme, trade["sme"])
    sme.goto("/introductions")
    ladder = sme.locator("section.outcomes")
    expect(ladder).to_contain_text("No step recorded yet.")
    ladder.get_by_text("Report a step").click()
    ladder.get_by_label("Step").select_option(label="Order placed")
    ladder.get_by_label("Date").fill(today.isoformat())
    ladder.get_by_label("Amount").fill("12500.00")
    ladder.get_by_label("Currency").fill("USD")
    ladder.get_by_role("button", name="Report this step").click()
    expect(sme.locator(".flash")).to_contain_text("Step recorded.")
    step = sme.locator("section.outcomes li.step")
    expect(step).to_contain_text("Order placed")
    expect(step).to_contain_text("Awaiting confirmation")
    expect(step.get_by_role("button", name="Confirm")).to_have_count(0)  # not its own step
    assert axe_violations(sme) == []

    staff = new_page()
    log_in(staff, trade["coordinator"])
    staff.goto(f"/impact?from={today.year}")
    expect(staff.locator("#years tbody tr").first).to_contain_text(  # not confirmed: no order
        f"{today.year}")
    expect(staff.locator("#years tbody tr td").nth(2)).to_have_text("0")

    buyer = new_page()
    log_in(buyer, trade["buyer"])
    buyer.goto("/introductions")
    step = buyer.locator("section.outcomes li.step")
    expect(step).to_contain_text("Order placed")
    assert axe_violations(buyer) == []  # the page with a step to confirm or dispute
    step.get_by_role("button", name="Confirm").click()
    expect(buyer.locator(".flash")).to_contain_text("Step confirmed.")
    expect(buyer.locator("section.outcomes li.step")).to_contain_text("Confirmed")

    staff.get_by_role("link", name="Impact", exact=True).click()
    expect(staff.locator("h1")).to_have_text("Impact")
    row = staff.locator("#years tbody tr").filter(has_text=str(today.year))
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("1")  # exporters
    expect(cells.nth(1)).to_have_text("12,500.00")  # export volume (USD)
    expect(cells.nth(2)).to_have_text("1")  # orders
    funnel = staff.locator("#funnel tbody tr").filter(has_text="Order placed")
    expect(funnel.locator("td").first).to_have_text("1")
    assert axe_violations(staff) == []


@pytest.mark.parametrize("role, path", [("sme", "/introductions"),
                                        ("coordinator", "/impact"),
                                        ("admin", "/impact/rates")])
def test_pages_with_steps_fit_a_phone_and_pass_axe(new_page, trade, role, path):
    from models import User
    from webapp.schemas.outcomes import OutcomeRequestSchema
    from webapp.services import outcome_steps

    def user(email):
        return db.session.scalars(db.select(User).where(User.email == email)).one()

    order = OutcomeRequestSchema().load({"stage": "order_placed", "amount": "987654.32",
                                         "currency": "MXN",
                                         "occurred_on": date.today().isoformat()})
    step = outcome_steps.report_step(user(trade["sme"]), trade["intro_id"], order)
    outcome_steps.confirm_step(user(trade["buyer"]), trade["intro_id"], step["id"]
                               if isinstance(step, dict) else step.id, "")
    db.session.rollback()
    page = new_page(width=390, height=844)
    log_in(page, trade[role])
    page.goto(path)
    expect(page.locator("h1")).to_be_visible()
    if path == "/introductions":
        page.get_by_text("Report a step").click()
    elif path == "/impact/rates":  # a refused rate: the error next to its field
        page.get_by_label("Year").fill(str(date.today().year))
        page.get_by_label("Currency").fill("MXN")
        page.get_by_label("Units per US dollar").fill("a lot")
        page.get_by_label("Source").fill("Banco de México")
        page.get_by_role("button", name="Save the rate").click()
        expect(page.locator(".has-error")).to_contain_text("Enter the rate as a decimal")
    else:  # a year without a MXN rate: the amount shows unconverted, with the warning
        expect(page.locator("#impact-warnings")).to_contain_text("MXN")
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["es", "fr"])
@pytest.mark.parametrize("role, path", [("coordinator", "/impact"), ("admin", "/impact/rates")])
def test_impact_pages_speak_the_users_language(new_page, trade, lang, role, path):
    from tests.browser.test_languages import assert_no_english

    page = new_page(locale=lang)
    log_in(page, trade[role])
    page.goto(f"{path}?lang={lang}")
    assert_no_english(page, lang)
