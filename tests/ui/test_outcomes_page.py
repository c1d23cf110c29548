"""The outcome ladder on the introductions page (webapp/ui/outcomes.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models import AuditEntry, OutcomeStep, db
from tests.factories import csrf_token, login, today
from tests.ui.helpers import text_of
from tests.ui.test_profiles import make_profile
from webapp import catalogue
from webapp.errors import Problem
from webapp.services import introduction_states as states
from webapp.services import introductions as service


def accepted_introduction(make_user, target_kind: str):
    """An SME and a mentor or buyer whose introduction that party accepted."""
    sme, target = make_user("sme"), make_user(target_kind)
    make_profile(sme, "sme")
    make_profile(target, target_kind)
    intro = service.create_introduction(sme, {"target_id": target.profile.id, "message": "Hola"})
    states.accept(target, intro.id)
    return sme, target, intro.id


@pytest.fixture
def mentorship(make_user):
    """An SME and a mentor whose introduction the mentor accepted."""
    return accepted_introduction(make_user, "mentor")


def post(client, url, **data):
    data["csrf_token"] = csrf_token(client, "/introductions")
    return client.post(url, data=data, headers={"Accept-Language": "en"})


def page(client, lang="en") -> str:
    return text_of(client.get("/introductions", headers={"Accept-Language": lang})
                   .get_data(True))


def steps() -> list[OutcomeStep]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutcomeStep).order_by(OutcomeStep.id)))


def test_a_session_reported_on_the_page_is_confirmed_by_the_other_party(client, mentorship):
    sme, mentor, intro_id = mentorship
    login(client, sme.email)
    assert "Report a step" in page(client)
    done = post(client, f"/introductions/{intro_id}/outcomes", stage="session",
                occurred_on=today(), minutes="45")
    assert done.status_code == 302
    assert [(s.stage, s.minutes, s.status) for s in steps()] == [("session", 45, "reported")]
    assert "Awaiting confirmation" in page(client)
    client.get("/logout")
    login(client, mentor.email)
    assert "Sesión de mentoría" in text_of(client.get("/introductions?lang=es").get_data(True))
    step_id = steps()[0].id
    post(client, f"/introductions/{intro_id}/outcomes/{step_id}/confirm")
    assert steps()[0].status == "confirmed"
    assert "Confirmed" in page(client)


def test_a_bad_step_on_the_page_is_explained_and_writes_nothing(client, mentorship):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    response = post(client, f"/introductions/{intro_id}/outcomes", stage="session",
                    occurred_on="2099-01-01", minutes="45")
    assert response.status_code == 302
    assert "The date cannot be in the future." in page(client)
    assert steps() == []


@pytest.mark.parametrize(("lang", "again", "before"), [
    ("en", "The step “Met” is reported already.",
     "The step “Quote sent” comes before “Order placed”, which is reported already."),
    ("es", "El paso «Reunión» ya fue informado.",
     "El paso «Cotización enviada» va antes de «Pedido realizado», que ya fue informado."),
    ("fr", "L’étape « Rencontre » est déjà déclarée.",  # the page's text: spaces collapsed
     "L’étape « Devis envoyé » précède « Commande passée », déjà déclarée."),
])
def test_a_refused_step_is_named_as_the_form_names_it(client, make_user, lang, again, before):
    sme, _, intro_id = accepted_introduction(make_user, "buyer")
    login(client, sme.email)
    url = f"/introductions/{intro_id}/outcomes?lang={lang}"
    for _ in range(2):
        post(client, url, stage="met", occurred_on=today())
    assert again in page(client, lang)
    post(client, url, stage="order_placed", occurred_on=today(), amount="10", currency="USD")
    post(client, url, stage="quote_sent", occurred_on=today())
    assert before in page(client, lang)
    assert [s.stage for s in steps()] == ["met", "order_placed"]


@pytest.fixture
def trade(make_user):
    """An SME and a buyer whose introduction the buyer accepted."""
    return accepted_introduction(make_user, "buyer")


@pytest.mark.parametrize(("lang", "typed", "stored"), [
    ("fr", "12 500,50", "12500.50"), ("fr", "12\u00a0500,50", "12500.50"), ("fr", "12,5", "12.5"),
    ("fr", "12500.50", "12500.50"), ("es", "12,500.50", "12500.50"), ("es", "12500", "12500"),
    ("en", "12,500.50", "12500.50")])
def test_an_amount_is_read_as_the_reader_writes_numbers(client, trade, lang, typed, stored):
    """A French Canadian types "12 500,50", a Mexican "12,500.50": the same order."""
    sme, _, intro_id = trade
    login(client, sme.email)
    done = post(client, f"/introductions/{intro_id}/outcomes?lang={lang}", stage="order_placed",
                occurred_on=today(), amount=typed, currency="USD")
    assert done.status_code == 302
    assert [(s.stage, s.amount) for s in steps()] == [("order_placed", Decimal(stored))]


@pytest.mark.parametrize(("lang", "hint"), [
    ("en", "Orders only, e.g. 12,500.00"), ("es", "Solo pedidos, p. ej. 12,500.00"),
    ("fr", "Commandes seulement, p. ex. 12\u00a0500,00")])
def test_the_amounts_example_is_written_as_the_reader_writes_numbers(client, trade, lang, hint):
    sme, _, _ = trade
    login(client, sme.email)
    assert hint in client.get(f"/introductions?lang={lang}").get_data(True)


@pytest.mark.parametrize("typed", ["douze", "12,50,0", "1 2", "12..5", "-", "1e5", "1E+99999999",
                                   ",".join("1" * 30), "\u0661\u0662"])
def test_an_amount_that_is_no_number_is_refused_and_writes_nothing(client, trade, typed):
    sme, _, intro_id = trade
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes?lang=fr", stage="order_placed",
         occurred_on=today(), amount=typed, currency="USD")
    assert steps() == []
    said = catalogue.describe_problem(Problem("not_decimal_string"), "fr")
    assert f"Montant: {said}" in page(client, "fr")


def test_a_party_cannot_confirm_its_own_step_on_the_page(client, mentorship):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes", stage="session", occurred_on=today(),
         minutes="30")
    post(client, f"/introductions/{intro_id}/outcomes/{steps()[0].id}/confirm")
    assert steps()[0].status == "reported"


def test_the_prompts_link_opens_the_report_form(client, mentorship):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    html = client.get(f"/introductions?report={intro_id}").get_data(True)
    assert f'<details id="report-step-{intro_id}" open>' in html
    assert f'<details id="report-step-{intro_id}">' in client.get("/introductions").get_data(True)


def dashboard(client, status=200) -> str:
    response = client.get("/dashboard", headers={"Accept-Language": "en"})
    assert response.status_code == status
    return response.get_data(True)


def test_a_coordinator_confirms_a_step_on_behalf_of_the_party_with_a_note(client, mentorship,
                                                                          make_user):
    sme, mentor, intro_id = mentorship
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes", stage="session", occurred_on=today(),
         minutes="30")
    step_id = steps()[0].id
    client.get("/logout")
    coordinator = make_user("coordinator")
    login(client, coordinator.email)
    html = dashboard(client)
    assert f'id="outcome-step-{step_id}"' in html
    assert f"Confirm on behalf of {mentor.profile.name}" in text_of(html)
    url = f"/dashboard/{intro_id}/outcomes/{step_id}/confirm"
    refused = client.post(url, data={"csrf_token": csrf_token(client, "/dashboard"),
                                     "note": "   "}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    field = refused.get_data(True).split(f'id="outcome-step-{step_id}"')[1].split("</form>")[0]
    assert 'class="field has-error"' in field
    assert "Say how the party confirmed the step." in text_of(field)
    assert steps()[0].status == "reported"  # nothing written
    done = client.post(url, data={"csrf_token": csrf_token(client, "/dashboard"),
                                  "note": "Confirmed by phone."})
    assert done.status_code == 302 and done.location.endswith(f"#outcome-step-{step_id}")
    step = steps()[0]
    assert (step.status, step.answered_on_behalf, step.answer_note, step.answered_by_id) == (
        "confirmed", True, "Confirmed by phone.", coordinator.id)
    audit = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "outcome.confirm_on_behalf")).all()
    assert [(a.actor_id, a.object_id, a.details["step_id"]) for a in audit] == [
        (coordinator.id, intro_id, step_id)]
    assert "Step confirmed on the party's behalf." in text_of(dashboard(client))
    assert "Confirm on behalf of" not in text_of(dashboard(client))  # answered already
