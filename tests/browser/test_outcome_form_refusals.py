"""A refused "Report a step" form in the browser: the page comes back at the form, the error
next to the amount, what was typed kept; corrected, the step is recorded and the message that
says so is in view. The refused page passes axe-core."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from models import User, db
from tests.browser.pages import axe_violations, log_in
from tests.browser.test_outcome_flow import trade  # noqa: F401  (a fixture)
from webapp import catalogue
from webapp.errors import Problem


def test_a_refused_order_comes_back_at_its_form_as_typed(new_page, trade):  # noqa: F811
    intro = trade["intro_id"]
    db.session.scalars(db.select(User).where(User.email == trade["sme"])).one().locale = "es"
    db.session.commit()
    sme = new_page(locale="es-MX", width=390, height=844)
    log_in(sme, trade["sme"])
    sme.goto("/introductions")
    sme.locator(f"#report-step-{intro} summary").click()
    sme.select_option(f"#stage-{intro}", "order_placed")
    sme.fill(f"#occurred_on-{intro}", date.today().isoformat())
    sme.fill(f"#amount-{intro}", "12,50,0")
    sme.fill(f"#currency-{intro}", "USD")
    sme.fill(f"#note-{intro}", "Primer pedido: 500 piezas")
    sme.locator(f"#report-step-{intro} button[type=submit]").click()

    error = sme.locator(f"#amount-{intro}-error")
    expect(error).to_have_text(catalogue.describe_problem(
        Problem("not_decimal_string", example="12,500.00"), "es"))
    expect(error).to_be_in_viewport()
    assert sme.url.endswith(f"#report-step-{intro}")
    expect(sme.locator(f"#amount-{intro}")).to_have_value("12,50,0")
    expect(sme.locator(f"#amount-{intro}")).to_have_attribute("aria-invalid", "true")
    expect(sme.locator(f"#currency-{intro}")).to_have_value("USD")
    expect(sme.locator(f"#note-{intro}")).to_have_value("Primer pedido: 500 piezas")
    expect(sme.locator(f"#stage-{intro}")).to_have_value("order_placed")
    assert axe_violations(sme) == []

    sme.fill(f"#amount-{intro}", "12,500.50")
    sme.locator(f"#report-step-{intro} button[type=submit]").click()
    expect(sme.locator(".flash")).to_be_in_viewport()
    expect(sme.locator("section.outcomes li.step")).to_contain_text("Pedido realizado")
