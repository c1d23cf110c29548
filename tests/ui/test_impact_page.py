"""The impact page and its CSV (webapp/ui/impact_page.py, services/impact_tables.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from models import UsdRate, db
from tests.api.test_impact import backdate, confirmed_step
from tests.intro_factories import act, make_party, request_intro
from tests.ui.helpers import field_errors, text_of
from webapp.services.usd_rates import ensure_documented_rates

EN = {"Accept-Language": "en"}


def accepted(client, as_role, **sme_changes):
    sme = make_party(client, as_role, "sme", **sme_changes)
    buyer = make_party(client, as_role, "buyer")
    intro = request_intro(client, sme, buyer)
    assert act(client, buyer, intro["id"], "accept").status_code == 200
    return sme, buyer, intro["id"]


@pytest.fixture
def outcomes(client, as_role):
    """Two trade introductions of Mexican SMEs with US buyers: a converted order in 2023
    (177,334 MXN = 10,000 USD at 17.7334) and one in 2025, a year whose MXN rate is removed."""
    ensure_documented_rates()
    db.session.delete(db.session.get(UsdRate, (2025, "MXN")))
    db.session.commit()
    sme, buyer, first = accepted(client, as_role, ownership=[])
    backdate(first, datetime(2023, 2, 1, tzinfo=UTC))
    confirmed_step(client, sme, buyer, first, stage="met", occurred_on="2023-02-11")
    confirmed_step(client, buyer, sme, first, stage="order_placed", occurred_on="2023-03-01",
                   amount="177334", currency="MXN")
    sme2, buyer2, second = accepted(client, as_role, ownership=["women"])
    backdate(second, datetime(2025, 5, 1, tzinfo=UTC))
    confirmed_step(client, buyer2, sme2, second, stage="order_placed",
                   occurred_on="2025-06-01", amount="2500.75", currency="MXN")
    # reported but never confirmed: counts nowhere
    client.post(f"/api/v1/introductions/{second}/outcomes", headers=sme2.headers,
                json={"stage": "repeat_order", "occurred_on": "2025-07-01",
                      "amount": "999999", "currency": "MXN"})
    return first, second


def section(html: str, anchor: str) -> str:
    return html.split(f'<section class="metrics" id="{anchor}">')[1].split("</section>")[0]


def table(html: str, anchor: str) -> list[list[str]]:
    body = section(html, anchor).split("<tbody>")[1].split("</tbody>")[0]
    return [[text_of(cell) for cell in re.findall(r"(?s)<t[hd]\b[^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"(?s)<tr>(.*?)</tr>", body)]


def page(client, query: str = "", status: int = 200, headers=EN) -> str:
    response = client.get(f"/impact{query}", headers=headers)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_the_dialogues_table_by_year_counts_only_confirmed_orders(client, signed_in,
                                                                  outcomes):
    signed_in("coordinator")
    html = page(client)
    # year, exporters, export volume (USD), orders, sessions, hours, goals
    assert table(html, "years") == [
        ["2023", "1", "10,000.00", "1", "0", "0", "0"],
        ["2024", "0", "0.00", "0", "0", "0", "0"],
        ["2025", "1", "0.00 + 2,500.75 MXN not converted", "1", "0", "0", "0"]]
    warning = text_of(html.split('id="impact-warnings">')[1].split("</div>")[0])
    assert "2025" in warning and "MXN" in warning


def test_the_funnel_shows_conversion_and_median_days(client, signed_in, outcomes):
    signed_in("coordinator")
    # step, introductions, conversion from the step before, median days from acceptance
    assert table(page(client), "funnel") == [
        ["Introduced", "2", "–", "–"], ["Accepted", "2", "100%", "–"],
        ["Met", "2", "100%", "10"], ["Samples sent", "2", "100%", "–"],
        ["Quote sent", "2", "100%", "–"], ["Order placed", "2", "100%", "29.5"],
        ["Repeat order", "0", "0%", "–"]]


def test_breakdowns_by_country_ownership_and_source(client, signed_in, outcomes):
    signed_in("coordinator")
    html = page(client)
    assert table(html, "by-country") == [
        ["Mexico", "2", "10,000.00 + 2,500.75 MXN not converted", "2", "0", "0", "0"]]
    by_ownership = {row[0]: row[1:4] for row in table(html, "by-ownership")}
    assert by_ownership["Women-owned"] == ["1", "0.00 + 2,500.75 MXN not converted", "1"]
    assert table(html, "by-source") == [
        ["Self-requested", "2", "10,000.00 + 2,500.75 MXN not converted", "2", "0", "0",
         "0"],
        ["Cohort", "0", "0.00", "0", "0", "0", "0"]]
    # each section draws its numbers as bars, with the value in the bar's title
    assert "Mexico · Orders: 2" in section(html, "by-country")


def test_filters_narrow_the_report(client, signed_in, outcomes):
    signed_in("coordinator")
    html = page(client, "?from=2023&to=2023")
    assert [row[0] for row in table(html, "years")] == ["2023"]
    assert 'id="impact-warnings"' not in html
    women = page(client, "?ownership=women")
    assert [row[:2] for row in table(women, "years")] == [["2025", "1"]]
    # the SMEs that declare no group, as the "by ownership" table's own row names them
    undeclared = page(client, "?ownership=none")
    assert [row[:2] for row in table(undeclared, "years")] == [["2023", "1"]]
    assert '<option selected value="none">No group declared</option>' in undeclared
    api = client.get("/api/v1/impact?ownership=none").get_json()  # the same filter, same rows
    assert [year["year"] for year in api["years"]] == [2023]
    assert table(page(client, "?pairing=mentorship"), "funnel")[0] == ["Introduced", "0", "–",
                                                                        "–"]
    assert "No confirmed steps in this period." in section(
        page(client, "?country=CA"), "years")


def test_the_source_filter_gives_the_funnel_of_cohort_or_self_requested_ones(
        client, signed_in, outcomes):
    signed_in("coordinator")
    assert table(page(client, "?source=cohort"), "funnel")[0] == ["Introduced", "0", "–", "–"]
    own = page(client, "?source=self_requested")
    assert table(own, "funnel")[0] == ["Introduced", "2", "–", "–"]
    assert "source=self_requested" in own.split('class="exports"')[1].split("</p>")[0]


@pytest.mark.parametrize(("query", "field", "message"), [
    ("?from=last", "from", "Enter a year such as 2025."),
    ("?from=1999", "from", "Enter a year from 2000 to 2100."),
    ("?from=2025&to=2024", "to", "The last year must not be before the first."),
    ("?country=FR", "country", "Choose a country from the list."),
    ("?ownership=royal", "ownership", "Choose a group from the list."),
    ("?pairing=dating", "pairing", "Choose a pairing from the list."),
    ("?source=friends", "source", "Choose one of the options."),
])
def test_bad_filters_are_422_with_the_message_by_the_field(client, signed_in, query, field,
                                                           message):
    signed_in("coordinator")
    for path in ("/impact", "/impact.csv"):
        response = client.get(f"{path}{query}", headers=EN)
        assert response.status_code == 422
        assert message in field_errors(response.get_data(as_text=True), field)


def test_csv_holds_the_same_figures(client, signed_in, outcomes):
    signed_in("coordinator")
    response = client.get("/impact.csv?to=2025", headers=EN)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "group", "measure", "value"]
    cells = {tuple(r[:3]): r[3] for r in rows[1:]}
    assert cells["year", "2023", "export_volume_usd"] == "10000.0"
    assert cells["year", "2025", "unconverted.MXN"] == "2500.7500"
    assert cells["funnel", "order_placed", "count"] == "2"
    assert cells["funnel", "order_placed", "median_days"] == "29.5"  # 28 and 31 days
    assert cells["by_source", "cohort", "orders"] == "0"
    assert cells["warning", "2025", "no_usd_rate"] == "MXN"


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_only_staff_see_impact(client, signed_in, role):
    signed_in(role)
    for path in ("/impact", "/impact.csv"):
        assert client.get(path).status_code == 403
    assert "/impact" not in client.get("/account", headers=EN).get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/impact")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_staff_find_impact_in_the_navigation(client, signed_in, role):
    signed_in(role)
    html = client.get("/account", headers=EN).get_data(as_text=True)
    assert re.search(r'<a [^>]*href="/impact"[^>]*>Impact</a>', html)


def test_page_speaks_the_readers_language(client, signed_in, outcomes):
    signed_in("coordinator", locale="es")
    html = page(client, headers={"Accept-Language": "es"})
    assert "<h1>Impacto</h1>" in html
    assert table(html, "years")[0][:3] == ["2023", "1", "10,000.00"]  # as Mexico writes it
