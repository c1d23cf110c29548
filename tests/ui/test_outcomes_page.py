"""The outcome ladder on the introductions page (webapp/ui/outcomes.py)."""

from __future__ import annotations

import html as htmllib
import re
from decimal import Decimal

import pytest

from models import AuditEntry, OutcomeStep, db
from tests.factories import csrf_token, login, today
from tests.ui.helpers import field_errors, text_of
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
    assert response.status_code == 422
    assert field_errors(response.get_data(True), f"occurred_on-{intro_id}") == [
        "The date cannot be in the future."]
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

    def said(response) -> str:  # the page's text: spaces collapsed
        return text_of(response.get_data(True))

    post(client, url, stage="met", occurred_on=today())
    assert again in said(post(client, url, stage="met", occurred_on=today()))
    post(client, url, stage="order_placed", occurred_on=today(), amount="10", currency="USD")
    assert before in said(post(client, url, stage="quote_sent", occurred_on=today()))
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


@pytest.mark.parametrize(("lang", "typed", "shown", "not_shown"), [
    ("en", "99.9999", "MX$99.9999", "MX$100.00"), ("fr", "99,9999", "99,9999\u00a0MXN", "100,00"),
    ("es", "12,500.5", "· $12,500.50", None)])
def test_the_ladder_shows_the_amount_the_party_recorded_not_a_rounded_one(
        client, trade, lang, typed, shown, not_shown):
    """The other party confirms the amount stored: 99.9999 showed as 100.00."""
    sme, buyer, intro_id = trade
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes?lang={lang}", stage="order_placed",
         occurred_on=today(), amount=typed, currency="MXN")
    client.get("/logout")
    login(client, buyer.email)
    html = client.get(f"/introductions?lang={lang}").get_data(True)
    assert shown in html
    assert not_shown is None or not_shown not in html


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
    response = post(client, f"/introductions/{intro_id}/outcomes?lang=fr",
                    stage="order_placed", occurred_on=today(), amount=typed, currency="USD")
    assert steps() == []
    said = catalogue.describe_problem(Problem("not_decimal_string", example="12\u00a0500,00"),
                                      "fr")
    assert field_errors(response.get_data(True), f"amount-{intro_id}") == [said]


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


@pytest.mark.parametrize("report", ["²", "١٢", "x", "9" * 40])
def test_a_prompt_link_naming_no_introduction_shows_the_page_with_the_form_closed(
        client, mentorship, report):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    response = client.get("/introductions", query_string={"report": report})
    assert response.status_code == 200  # a superscript two was a 500
    assert f'<details id="report-step-{intro_id}">' in response.get_data(True)


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
    too_long = "Phoned the mentor. " * 120  # over 2,000 characters: refused, kept as typed
    refused = client.post(url, data={"csrf_token": csrf_token(client, "/dashboard"),
                                     "note": too_long}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    html = refused.get_data(True)
    assert htmllib.unescape(control(html, f"behalf-note-{step_id}")).count(
        "Phoned the mentor.") == 120
    assert steps()[0].status == "reported"
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


# -- a refused step comes back as it was typed, each error next to its field -------------------

def control(html: str, control_id: str) -> str:
    """Return the HTML of the form control with this id (an input's tag, a whole select or
    textarea)."""
    found = re.search(rf'<(input|select|textarea)\b[^>]*\bid="{control_id}"[^>]*>'
                      rf'(?:(?s:.*?)</\1>)?', html)
    assert found, f"no control {control_id}"
    return found[0]


def shown_value(html: str, control_id: str):
    """Return what a control shows: an input's value, a textarea's text, a select's chosen
    option values (a list)."""
    tag = control(html, control_id)
    if tag.startswith("<input"):
        found = re.search(r'\bvalue="([^"]*)"', tag)
        return htmllib.unescape(found[1]) if found else ""
    if tag.startswith("<textarea"):
        return htmllib.unescape(re.sub(r"(?s)^<textarea[^>]*>\n?|</textarea>$", "", tag))
    return re.findall(r'<option value="([^"]*)" selected>', tag)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_refused_order_comes_back_as_typed_with_the_error_by_the_amount(client, trade, lang):
    sme, _, intro_id = trade
    login(client, sme.email)
    response = post(client, f"/introductions/{intro_id}/outcomes?lang={lang}",
                    stage="order_placed", occurred_on=today(), amount="12,50,0", currency="USD",
                    note="Primer pedido: 500 piezas")
    assert response.status_code == 422
    html = response.get_data(True)
    example = {"en": "12,500.00", "es": "12,500.00", "fr": "12\u00a0500,00"}[lang]
    said = catalogue.describe_problem(Problem("not_decimal_string", example=example), lang)
    assert field_errors(html, f"amount-{intro_id}") == [said]
    assert 'aria-invalid="true"' in control(html, f"amount-{intro_id}")
    assert f'<details id="report-step-{intro_id}" open>' in html
    assert shown_value(html, f"amount-{intro_id}") == "12,50,0"
    assert shown_value(html, f"currency-{intro_id}") == "USD"
    assert shown_value(html, f"occurred_on-{intro_id}") == today()
    assert shown_value(html, f"stage-{intro_id}") == ["order_placed"]
    assert shown_value(html, f"note-{intro_id}") == "Primer pedido: 500 piezas"
    assert steps() == []


@pytest.mark.parametrize(("lang", "typed", "field", "problem"), [
    ("en", {"minutes": "cuarenta"}, "minutes", Problem("not_integer")),
    # digits str.isdigit() takes that int() does not read (a superscript two): was a 500
    ("en", {"minutes": "²"}, "minutes", Problem("not_integer")),
    ("fr", {"minutes": "4⁵"}, "minutes", Problem("not_integer")),
    ("es", {"minutes": "9" * 5000}, "minutes", Problem("not_integer")),
    ("en", {"minutes": "4_5"}, "minutes", Problem("not_integer")),
    ("es", {"minutes": "2000"}, "minutes", Problem("out_of_range", min=1, max=1440)),
    ("fr", {"occurred_on": ""}, "occurred_on", Problem("required")),
    ("es", {"occurred_on": "2099-01-01"}, "occurred_on", Problem("date_in_future")),
])
def test_a_refused_session_comes_back_as_typed_with_the_error_by_its_field(
        client, mentorship, lang, typed, field, problem):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    values = {"stage": "session", "occurred_on": today(), "minutes": "45",
              "topics": ["financing", "certification"], "note": "Plan de exportación",
              **typed}
    response = post(client, f"/introductions/{intro_id}/outcomes?lang={lang}", **values)
    assert response.status_code == 422
    html = response.get_data(True)
    assert field_errors(html, f"{field}-{intro_id}") == [
        catalogue.describe_problem(problem, lang)]
    for name in ("minutes", "occurred_on", "note"):
        assert shown_value(html, f"{name}-{intro_id}") == values[name]
    assert shown_value(html, f"stage-{intro_id}") == ["session"]
    assert shown_value(html, f"topics-{intro_id}") == ["financing", "certification"]
    assert steps() == []


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "The step “Met” is reported already."),
    ("es", "El paso «Reunión» ya fue informado."),
    ("fr", "L’étape « Rencontre » est déjà déclarée."),
])
def test_a_step_out_of_the_ladders_order_is_said_by_the_step_and_keeps_the_note(
        client, trade, lang, said):
    sme, _, intro_id = trade
    login(client, sme.email)
    url = f"/introductions/{intro_id}/outcomes?lang={lang}"
    assert post(client, url, stage="met", occurred_on=today()).status_code == 302
    response = post(client, url, stage="met", occurred_on=today(), note="Otra reunión")
    assert response.status_code == 409
    html = response.get_data(True)
    assert [" ".join(e.split()) for e in field_errors(html, f"stage-{intro_id}")] == [said]
    assert shown_value(html, f"note-{intro_id}") == "Otra reunión"
    assert [s.stage for s in steps()] == ["met"]


def test_a_dispute_without_a_note_is_said_by_the_note(client, mentorship):
    sme, mentor, intro_id = mentorship
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes", stage="session", occurred_on=today(),
         minutes="30")
    step_id = steps()[0].id
    client.get("/logout")
    login(client, mentor.email)
    response = post(client, f"/introductions/{intro_id}/outcomes/{step_id}/dispute?lang=es",
                    note="   ")
    assert response.status_code == 422
    html = response.get_data(True)
    assert field_errors(html, f"dispute-note-{step_id}") == [
        catalogue.describe_problem(Problem("required"), "es")]
    too_long = "x" * 2001
    response = post(client, f"/introductions/{intro_id}/outcomes/{step_id}/dispute",
                    note=too_long)
    assert response.status_code == 422
    assert shown_value(response.get_data(True), f"dispute-note-{step_id}") == too_long
    assert steps()[0].status == "reported"


# -- what is being confirmed: goal, topics, reason ----------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("First export", "Financing & access to capital, Quality certification & standards",
            "Logistics")),
    ("es", ("Primera exportación",
            "Financiamiento y acceso a capital, Certificación de calidad y normas", "Logística")),
    ("fr", ("Première exportation",
            "Financement et accès au capital, Certification qualité et normes", "Logistique")),
])
def test_the_other_party_and_staff_see_the_goal_topics_and_reason_they_confirm(
        client, make_user, mentorship, lang, words):
    sme, mentor, intro_id = mentorship
    goal, topics, reason = words
    login(client, sme.email)
    for values in ({"stage": "session", "minutes": "45",
                    "topics": ["financing", "certification"]},
                   {"stage": "goal_achieved", "goal": "first_export"},
                   {"stage": "ended", "reason": "logistics"}):
        assert post(client, f"/introductions/{intro_id}/outcomes", occurred_on=today(),
                    **values).status_code == 302
    assert [(s.stage, s.topics, s.goal, s.reason) for s in steps()] == [
        ("session", ["financing", "certification"], None, None),
        ("goal_achieved", [], "first_export", None), ("ended", [], None, "logistics")]
    coordinator = make_user("coordinator")
    for reader, path in ((mentor, "/introductions"), (coordinator, "/dashboard")):
        client.get("/logout")
        login(client, reader.email)
        html = client.get(f"{path}?lang={lang}").get_data(True)
        session, achieved, ended = (
            text_of(html.split(f'id="outcome-step-{s.id}"')[1].split("</li>")[0])
            for s in steps())
        assert topics in session
        assert goal in achieved
        assert reason in ended


@pytest.mark.parametrize(("lang", "option"), [
    ("en", "Financing & access to capital"), ("es", "Financiamiento y acceso a capital"),
    ("fr", "Financement et accès au capital")])
def test_the_report_form_of_a_mentorship_chooses_topics_from_the_needs(
        client, mentorship, trade, lang, option):
    sme, _, intro_id = mentorship
    login(client, sme.email)
    html = client.get(f"/introductions?lang={lang}").get_data(True)
    topics = control(html, f"topics-{intro_id}")
    assert "multiple" in topics.split(">")[0]
    assert f'<option value="financing">{htmllib.escape(option)}</option>' in topics
    assert f'<label for="topics-{intro_id}">' in html  # "Topics": tests/ui/test_i18n.py
    trade_id = trade[2]
    client.get("/logout")
    login(client, trade[0].email)
    assert f'id="topics-{trade_id}"' not in client.get("/introductions").get_data(True)


def test_once_the_ladder_has_ended_no_report_form_is_offered_until_the_end_is_disputed(
        client, mentorship):
    sme, mentor, intro_id = mentorship
    login(client, sme.email)
    post(client, f"/introductions/{intro_id}/outcomes", stage="ended", occurred_on=today(),
         reason="other")
    shown = page(client)
    assert "Report a step" not in shown
    assert f"The ladder of introduction {intro_id} has ended; no step follows." in shown
    client.get("/logout")
    login(client, mentor.email)
    assert "Report a step" not in page(client)  # the mentor may still dispute the end
    post(client, f"/introductions/{intro_id}/outcomes/{steps()[0].id}/dispute",
         note="We meet again next week")
    assert "Report a step" in page(client)
