"""Outcome steps worded for their reader: the amount's example as the reader writes numbers,
the ladder and its steps by their labels, the introduction's day as the reader writes dates —
on the introductions page and in the API's messages (whose ``params`` keep the codes)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from models import Introduction, OutcomeStep, db
from tests.factories import login, today
from tests.intro_factories import act, make_party, request_intro
from tests.ui.helpers import field_errors
from tests.ui.test_outcomes_page import accepted_introduction, post
from webapp.services import outcome_ladder

EXAMPLES = {"en": "12,500.00", "es": "12,500.00", "fr": "12\u00a0500,00"}
OTHER = {"en": "fr", "es": "fr", "fr": "en"}


@pytest.fixture
def trade(make_user):
    """An SME and a buyer whose introduction the buyer accepted."""
    return accepted_introduction(make_user, "buyer")


def amount_hint(html: str, intro_id: int) -> str:
    found = re.search(rf'<p class="hint" id="amount-{intro_id}-hint">([^<]*)</p>', html)
    assert found, "no amount hint"
    return found[1]


def stored_steps() -> list[OutcomeStep]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutcomeStep).order_by(OutcomeStep.id)))


def test_the_amounts_example_follows_each_pages_language_in_one_process(client, trade):
    """The hint was worded once per process, in the language of the first page shown."""
    _, buyer, intro_id = trade
    login(client, buyer.email)
    for lang in ("fr", "es", "en", "fr"):
        html = client.get(f"/introductions?lang={lang}").get_data(True)
        assert amount_hint(html, intro_id).endswith(" " + EXAMPLES[lang]), lang


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_the_example_shown_is_an_amount_the_form_takes(client, trade, lang):
    _, buyer, intro_id = trade
    login(client, buyer.email)
    client.get(f"/introductions?lang={OTHER[lang]}")  # another reader's page first
    html = client.get(f"/introductions?lang={lang}").get_data(True)
    example = amount_hint(html, intro_id).rsplit(" ", 1)[1]
    done = post(client, f"/introductions/{intro_id}/outcomes?lang={lang}", stage="order_placed",
                occurred_on=today(), amount=example, currency="USD")
    assert done.status_code == 302
    assert [(s.stage, s.amount) for s in stored_steps()] == [("order_placed", Decimal(12500))]


@pytest.mark.parametrize(("lang", "typed"), [("fr", "12,500.00"), ("es", "12 500,00"),
                                             ("en", "douze")])
def test_a_refused_amount_gives_its_example_as_the_reader_writes_numbers(client, trade, lang,
                                                                         typed):
    _, buyer, intro_id = trade
    login(client, buyer.email)
    client.get(f"/introductions?lang={OTHER[lang]}")
    response = post(client, f"/introductions/{intro_id}/outcomes?lang={lang}",
                    stage="order_placed", occurred_on=today(), amount=typed, currency="USD")
    assert response.status_code == 422
    [said] = field_errors(response.get_data(True), f"amount-{intro_id}")
    assert EXAMPLES[lang] in said
    assert "12500.00" not in said
    assert stored_steps() == []


def test_the_apis_example_stays_the_decimal_string_it_takes(client, as_role):
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    act(client, buyer, intro["id"], "accept")
    response = client.post(f"/api/v1/introductions/{intro['id']}/outcomes?lang=fr",
                           headers=sme.headers, json={"stage": "order_placed",
                                                      "occurred_on": today(),
                                                      "amount": "12 500,00", "currency": "USD"})
    assert response.status_code == 422
    [problem] = response.get_json()["error"]["fields"]["amount"]
    assert problem["code"] == "not_decimal_string"
    assert "12500.00" in problem["message"]


@pytest.fixture
def api_trade(client, as_role):
    """A buyer and an SME through the API, the introduction accepted; return the SME."""
    sme = make_party(client, as_role, "sme")
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    assert act(client, buyer, intro["id"], "accept").status_code == 200
    return sme, intro["id"]


def problem_of(client, party, intro_id, lang, field, **body):
    response = client.post(f"/api/v1/introductions/{intro_id}/outcomes?lang={lang}",
                           headers=party.headers, json={"occurred_on": today(), **body})
    assert response.status_code == 422, response.get_json()
    [problem] = response.get_json()["error"]["fields"][field]
    return problem


TRADE_STEPS = {
    "en": ("Trade (SME and buyer)", ["Met", "Samples sent", "Quote sent", "Order placed",
                                     "Repeat order", "Ended"]),
    "es": ("Comercio (pyme y comprador)", ["Reunión", "Muestras enviadas", "Cotización enviada",
                                           "Pedido realizado", "Pedido repetido", "Terminado"]),
    "fr": ("Commerce (PME et acheteur)", ["Rencontre", "Échantillons envoyés", "Devis envoyé",
                                          "Commande passée", "Nouvelle commande", "Terminé"]),
}


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_step_of_the_other_ladder_is_refused_naming_the_ladder_and_its_steps(client,
                                                                               api_trade, lang):
    sme, intro_id = api_trade
    problem = problem_of(client, sme, intro_id, lang, "stage", stage="session", minutes=30)
    assert problem["code"] == "stage_not_in_ladder"
    ladder, stages = TRADE_STEPS[lang]
    message = problem["message"]
    assert ladder in message
    positions = [message.find(label) for label in stages]
    assert -1 not in positions and positions == sorted(positions), message
    for code in ("samples_sent", "quote_sent", "order_placed", "repeat_order", "trade"):
        assert code not in message
    assert problem["params"] == {"ladder": "trade", "stages": [
        "met", "samples_sent", "quote_sent", "order_placed", "repeat_order", "ended"]}


INTRODUCTION_DAY = {  # the day written as the reader's region writes it ("long", as e-mails)
    "en": "{month} {day}, {year}",
    "es": "{day} de {month} de {year}",
    "fr": "{day} {month} {year}",
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}


def introduction_day(intro_id: int) -> date:
    """The introduction's day where its parties are (the earlier of their two): the UTC day
    until midnight UTC, the day before for a while after it in the Americas."""
    intro = db.session.get(Introduction, intro_id)
    day = outcome_ladder.parties_day(intro.created_at, [
        (p.country, p.subdivision) for p in (intro.requester, intro.target)])
    utc_day = date.fromisoformat(today())
    assert day in (utc_day, utc_day - timedelta(days=1))
    return day


def written(day: date, lang: str) -> str:
    return INTRODUCTION_DAY[lang].format(day=day.day, month=MONTHS[lang][day.month - 1],
                                         year=day.year)


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_date_before_the_introduction_names_its_day_as_the_reader_writes_dates(
        client, api_trade, lang):
    sme, intro_id = api_trade
    problem = problem_of(client, sme, intro_id, lang, "occurred_on", stage="met",
                         occurred_on="2020-01-01")
    assert problem["code"] == "date_before_introduction"
    day = introduction_day(intro_id)
    assert problem["params"] == {"date": day.isoformat()}
    assert written(day, lang) in problem["message"]
    assert day.isoformat() not in problem["message"]


def test_the_page_words_a_step_of_the_other_ladder_and_the_introductions_day(client, trade):
    _, buyer, intro_id = trade
    login(client, buyer.email)
    url = f"/introductions/{intro_id}/outcomes?lang=es"
    html = post(client, url, stage="session", occurred_on=today(), minutes="30").get_data(True)
    [said] = field_errors(html, f"stage-{intro_id}")
    assert "Comercio (pyme y comprador)" in said and "Pedido repetido" in said
    assert "samples_sent" not in said
    html = post(client, url, stage="met", occurred_on="2020-01-01").get_data(True)
    [said] = field_errors(html, f"occurred_on-{intro_id}")
    assert written(introduction_day(intro_id), "es") in said
    assert stored_steps() == []


@pytest.mark.parametrize("typed", ["compact", "week"])
def test_the_page_refuses_a_day_not_written_yyyy_mm_dd(client, trade, typed):
    _, buyer, intro_id = trade
    login(client, buyer.email)
    day = date.fromisoformat(today())
    year, week, weekday = day.isocalendar()
    value = day.strftime("%Y%m%d") if typed == "compact" else f"{year}-W{week:02d}-{weekday}"
    response = post(client, f"/introductions/{intro_id}/outcomes", stage="met",
                    occurred_on=value)
    assert response.status_code == 422
    assert field_errors(response.get_data(True), f"occurred_on-{intro_id}") == [
        "Enter a date as YYYY-MM-DD."]
    assert stored_steps() == []
