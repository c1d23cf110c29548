"""Program metrics page and its CSV exports (webapp/ui/metrics_page.py, services/exports.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from models import Introduction, IntroductionReview, ModelVersion, OutcomeStep, Profile, db
from tests.metrics_data import T0, six_introductions
from tests.ui.helpers import field_errors, text_of
from webapp.services.exposure import log_impressions

EN = {"Accept-Language": "en"}
CONTACTS = ("ventas@autopartes.example", "+52 656 555 0100", "rosa@mentor.example",
            "Autopartes", "Rosa Delgado", "Hola")
INTRO_HEADER = [
    "id", "kind", "state", "created_at", "responded_at", "closed_at", "score", "model_version",
    "requester_id", "requester_kind", "requester_country", "target_id", "target_kind",
    "target_country", "sme_ownership", "decline_reason_code"]


@pytest.fixture
def program(client, as_role):
    """Three SMEs, two mentors, six introductions (one per state), reviews and impressions."""
    coordinator, headers = as_role("coordinator")
    ids, intros = six_introductions(
        client, headers, message="Hola, =HYPERLINK(\"http://evil.example\")",
        model_version="v1")
    a, c = ids["a"], ids["c"]
    intros[1].decline_reason_code = "not_a_fit"
    intros[1].decline_reason_text = "Rosa Delgado says no"
    intros[2].closed_at = T0 + timedelta(days=3)
    intros[5].model_version = "=1+2"  # a hostile value must reach a spreadsheet as text
    db.session.flush()
    db.session.add_all([
        IntroductionReview(introduction_id=intros[0].id, reviewer_id=coordinator.id, rating=5),
        IntroductionReview(introduction_id=intros[1].id, reviewer_id=coordinator.id, rating=2)])
    db.session.commit()
    for mentor in (ids["m1"], ids["m2"]):  # two mentors' rankings, each showing SMEs a and c
        log_impressions(db.session.get(Profile, mentor), "sme",
                        [db.session.get(Profile, a), db.session.get(Profile, c)])
    return [i.id for i in intros]


def section(html: str, anchor: str) -> str:
    """Return the HTML of the page's section with that id."""
    return html.split(f'<section class="metrics" id="{anchor}">')[1].split("</section>")[0]


def table(html: str, anchor: str) -> list[list[str]]:
    """Return the body rows of a section's table as lists of cell texts."""
    body = section(html, anchor).split("<tbody>")[1].split("</tbody>")[0]
    return [[text_of(cell) for cell in re.findall(r"(?s)<t[hd]\b[^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"(?s)<tr>(.*?)</tr>", body)]


def bar_classes(html: str, anchor: str) -> list[list[str]]:
    """Return, per chart of a section, the classes of its bars."""
    return [re.findall(r'<rect class="chart-bar ([\w-]+)"', svg)
            for svg in re.findall(r"(?s)<svg .*?</svg>", section(html, anchor))]


def page(client, query: str = "", status: int = 200) -> str:
    response = client.get(f"/dashboard/metrics{query}", headers=EN)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_page_shows_the_exact_figures(client, signed_in, program):
    signed_in("coordinator")
    html = page(client)
    assert table(html, "summary") == [
        ["Introductions", "6"], ["Requested", "1"], ["Accepted", "1"], ["Completed", "1"],
        ["Declined", "1"], ["Withdrawn", "1"], ["Expired", "1"],
        ["Acceptance rate", "50%"], ["Median time to answer (hours)", "4"]]
    assert table(html, "over-time") == [["Mar 1, 2026", "1", "1", "1", "1", "1", "1", "6"]]
    assert table(html, "deciles") == [["0.2–0.3", "1", "0", "0%"], ["0.3–0.4", "1", "1", "100%"],
                                      ["0.8–0.9", "2", "1", "50%"]]
    assert table(html, "ranking") == [["Coordinator reviews", "2", "2", "0.5", "1"],
                                      ["Party feedback", "0", "0", "–", "–"]]
    assert text_of(section(html, "cross-border")).startswith(
        "Cross-border introductions Share across a border: 67%")
    assert table(html, "cross-border") == [
        ["Canada – Mexico", "1", "17%"], ["Canada – United States", "1", "17%"],
        ["Mexico – Mexico", "2", "33%"], ["Mexico – United States", "2", "33%"]]
    assert table(html, "utilisation") == [
        ["Active mentors", "2"], ["Capacity", "5"], ["Current load", "4"],
        ["Utilisation", "80%"], ["Mentors at capacity", "1"]]
    assert "No model version is active." in text_of(section(html, "model"))


def test_page_shows_acceptance_and_exposure_by_group(client, signed_in, program):
    signed_in("coordinator")
    html = page(client)
    # group, decided, accepted, rate, profiles, impressions, share of profiles and of
    # impressions, impressions per profile
    assert table(html, "by-country") == [
        ["Canada", "1", "1", "100%", "1", "2", "33%", "50%", "2"],
        ["Mexico", "3", "1", "33%", "2", "2", "67%", "50%", "1"]]
    assert table(html, "by-ownership") == [
        ["Indigenous-owned", "1", "1", "100%", "1", "2", "33%", "50%", "2"],
        ["No group declared", "1", "0", "0%", "1", "0", "33%", "0%", "0"],
        ["Women-owned", "3", "2", "67%", "2", "4", "67%", "100%", "2"]]
    assert table(html, "exposure") == [
        ["Rankings shown", "2"], ["Impressions", "4"], ["Impressions of SMEs", "4"],
        ["Impressions of mentors", "0"], ["Impressions of buyers", "0"]]


def test_impressions_by_kind_read_as_one_phrase_in_each_language(client, signed_in, program):
    """Each row is its own sentence, not a plural label spliced into "of %(kind)s": French
    elides before a vowel ("d’acheteurs", never "de Acheteurs") and no language capitalises
    the kind mid-phrase."""
    for locale in ("fr", "es"):
        signed_in("coordinator", locale=locale)
        rows = [row[0] for row in table(client.get("/dashboard/metrics").get_data(
            as_text=True), "exposure")[2:]]
        assert len(rows) == 3
        assert not any(word in row for row in rows for word in (
            "de Acheteurs", "de Mentors", "de Compradores", "de Mentores"))


def test_page_draws_the_charts(client, signed_in, program):
    signed_in("coordinator")
    html = page(client)
    states = ["s-requested", "s-accepted", "s-completed", "s-declined", "s-withdrawn",
              "s-expired"]
    assert bar_classes(html, "over-time") == [states]  # one day, one bar per state
    assert bar_classes(html, "deciles") == [["s-rate"] * 3]
    assert 'class="chart-diagonal"' in section(html, "deciles")
    assert bar_classes(html, "ranking") == [["s-precision", "s-ndcg"]]  # feedback: no ratings
    assert bar_classes(html, "cross-border") == [["s-share"] * 4]
    assert bar_classes(html, "by-country") == [["s-rate"] * 2,
                                               ["s-profiles", "s-impressions"] * 2]
    assert bar_classes(html, "by-ownership") == [["s-rate"] * 3,
                                                 ["s-profiles", "s-impressions"] * 3]
    assert bar_classes(html, "utilisation") == [["s-load", "s-capacity"]]
    load, capacity = re.findall(r'<rect class="chart-bar s-\w+" x="[\d.]+" y="[\d.]+" '
                                r'width="([\d.]+)"', section(html, "utilisation"))
    assert float(load) / float(capacity) == pytest.approx(4 / 5, rel=1e-2)
    for svg in re.findall(r"(?s)<svg .*?</svg>", html):
        assert 'role="img"' in svg and "<title>" in svg and "style=" not in svg


@pytest.mark.parametrize("query, heading, rows", [
    ("?from=2026-01-05&to=2026-03-15", "Week starting",  # ten ISO weeks from a Monday
     [[day, *["0"] * 7] for day in ("Jan 5, 2026", "Jan 12, 2026", "Jan 19, 2026",
                                    "Jan 26, 2026", "Feb 2, 2026", "Feb 9, 2026",
                                    "Feb 16, 2026")]
     + [["Feb 23, 2026", "1", "1", "1", "1", "1", "1", "6"]]
     + [[day, *["0"] * 7] for day in ("Mar 2, 2026", "Mar 9, 2026")]),
    ("?from=2025-12-15&to=2027-01-01", "Month",  # more than 53 weeks: calendar months
     [["December 2025", *["0"] * 7], ["January 2026", *["0"] * 7],
      ["February 2026", *["0"] * 7], ["March 2026", "1", "1", "1", "1", "1", "1", "6"]]
     + [[f"{month} 2026", *["0"] * 7] for month in (
         "April", "May", "June", "July", "August", "September", "October", "November",
         "December")] + [["January 2027", *["0"] * 7]]),
])
def test_states_over_time_in_weeks_and_months(client, signed_in, program, query, heading,
                                              rows):
    signed_in("coordinator")
    html = page(client, query)
    assert table(html, "over-time") == rows
    assert f'<thead><tr><th scope="col">{heading}</th>' in section(html, "over-time")
    assert len(bar_classes(html, "over-time")[0]) == 6  # only the busy period has bars


def test_model_version_and_metrics(client, signed_in, program):
    db.session.add(ModelVersion(version="2026-03-01-abc", active=True, bundle=b"x",
                                metrics={"sme_mentor": {"auc": 0.75, "n": 40}}))
    db.session.commit()
    signed_in("coordinator")
    html = page(client)
    assert "2026-03-01-abc" in section(html, "model")
    assert "This version records no decision." in text_of(section(html, "model"))
    assert "sme_mentor" not in section(html, "model")  # no raw keys shown


def test_empty_program_says_so(client, signed_in):
    signed_in("coordinator")
    html = page(client)
    assert table(html, "summary")[0] == ["Introductions", "0"]
    assert "No decided introductions with a score yet." in section(html, "deciles")
    assert "No introductions in this period." in section(html, "cross-border")
    assert all(bars == [] for bars in bar_classes(html, "by-country"))


@pytest.mark.parametrize("query, introductions", [
    ("?country=CA", "2"), ("?kind=mentor_sme", "0"), ("?from=2026-03-02", "0"),
    ("?from=2026-03-01&to=2026-03-01", "6"), ("?to=2026-02-28", "0"),
])
def test_filters_apply_to_the_page(client, signed_in, program, query, introductions):
    signed_in("coordinator")
    html = page(client, query)
    assert table(html, "summary")[0] == ["Introductions", introductions]
    assert 'href="/dashboard/metrics.csv' + query.replace("&", "&amp;") + '"' in html


@pytest.mark.parametrize("query, field, message", [
    ("?from=2026-03-02&to=2026-03-01", "to", "The end date must not be before the start date."),
    ("?country=FR", "country", "Choose a country from the list."),
    ("?kind=x", "kind", "Choose a pairing from the list."),
    ("?from=yesterday", "from", "Enter a date as YYYY-MM-DD."),
    ("?to=9999-12-31", "to", "Enter a date from 2000-01-01 to 2100-12-31."),  # was a 500
    ("?from=1999-12-31", "from", "Enter a date from 2000-01-01 to 2100-12-31."),
])
@pytest.mark.parametrize("path", ["/dashboard/metrics", "/dashboard/metrics.csv",
                                  "/dashboard/introductions.csv"])
def test_bad_filters_are_422_with_the_message_by_the_field(client, signed_in, path, query,
                                                            field, message):
    signed_in("coordinator")
    response = client.get(path + query, headers=EN)
    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), field) == [message]


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
@pytest.mark.parametrize("path", ["/dashboard/metrics", "/dashboard/metrics.csv",
                                  "/dashboard/introductions.csv"])
def test_only_staff_see_metrics(client, signed_in, role, path):
    signed_in(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/dashboard/metrics", "/dashboard/metrics.csv",
                                  "/dashboard/introductions.csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_sees_metrics_and_the_nav_links_them(client, signed_in):
    signed_in("admin")
    html = page(client)
    assert '<a href="/dashboard/metrics" aria-current="page">Metrics</a>' in html
    assert 'href="/dashboard/metrics"' in client.get("/dashboard", headers=EN).text


def download(client, path: str) -> tuple[list[list[str]], object]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True)))), response


def test_introductions_csv_rows(client, signed_in, program):
    signed_in("coordinator")
    rows, response = download(client, "/dashboard/introductions.csv")
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="puente-introductions-{today}.csv"')
    a, b, c, m1, m2 = (str(i) for i in sorted(
        db.session.scalars(db.select(Profile.id))))
    ids = [str(i) for i in program]
    created = "2026-03-01T10:00:00+00:00"
    assert rows == [INTRO_HEADER] + [
        [ids[0], "sme_mentor", "accepted", created, "2026-03-01T12:00:00+00:00", "", "0.85",
         "v1", a, "sme", "MX", m1, "mentor", "US", "women", ""],
        [ids[1], "sme_mentor", "declined", created, "2026-03-01T14:00:00+00:00", "", "0.82",
         "v1", b, "sme", "MX", m1, "mentor", "US", "", "not_a_fit"],
        [ids[2], "sme_mentor", "completed", created, "2026-03-01T20:00:00+00:00",
         "2026-03-04T10:00:00+00:00", "0.35", "v1", c, "sme", "CA", m1, "mentor", "US",
         "indigenous;women", ""],
        [ids[3], "sme_mentor", "expired", created, "", "", "0.25", "v1", a, "sme", "MX", m2,
         "mentor", "MX", "women", ""],
        [ids[4], "sme_mentor", "requested", created, "", "", "0.5", "v1", b, "sme", "MX", m2,
         "mentor", "MX", "", ""],
        [ids[5], "sme_mentor", "withdrawn", created, "", "", "0.9", "'=1+2", c, "sme", "CA",
         m2, "mentor", "MX", "indigenous;women", ""],
    ]
    body = response.get_data(as_text=True)
    assert [x for x in CONTACTS if x in body] == [] and "HYPERLINK" not in body


@pytest.mark.parametrize("query, states", [
    ("?country=CA", ["completed", "withdrawn"]), ("?kind=mentor_sme", []),
    ("?from=2026-03-02", []), ("?to=2026-03-01&country=MX",
                               ["accepted", "declined", "expired", "requested", "withdrawn"]),
])
def test_filters_apply_to_the_introductions_csv(client, signed_in, program, query, states):
    signed_in("coordinator")
    rows, _ = download(client, "/dashboard/introductions.csv" + query)
    assert rows[0] == INTRO_HEADER and [r[2] for r in rows[1:]] == states


def test_metrics_csv_rows(client, signed_in, program):
    db.session.add(ModelVersion(version="@evil", active=True, bundle=b"x",
                                metrics={"sme_mentor": {"-auc": 0.75}}))
    db.session.commit()
    signed_in("coordinator")
    rows, response = download(client, "/dashboard/metrics.csv?country=CA")
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="puente-metrics-{today}.csv"')
    assert rows[0] == ["section", "group", "measure", "value"]
    found = {tuple(r[:3]): r[3] for r in rows[1:]}
    assert len(found) == len(rows) - 1  # each (section, group, measure) once
    assert found[("filters", "", "country")] == "CA"
    assert found[("introductions", "", "value")] == "2"
    assert found[("acceptance_rate", "", "value")] == "1.0"  # completed; withdrawn undecided
    assert found[("by_state", "", "withdrawn")] == "1"
    assert found[("median_hours_to_answer", "", "value")] == "10.0"
    assert found[("acceptance_by_score_decile", "decile=3", "acceptance_rate")] == "1.0"
    assert found[("cross_border", "by_country_pair/CA-US", "share")] == "0.5"
    assert found[("acceptance_by_ownership", "indigenous", "decided")] == "1"
    assert found[("mentor_utilisation", "", "utilisation")] == ""  # no mentor in Canada
    assert found[("by_state_over_time", "", "bucket")] == "day"
    assert found[("by_state_over_time", "periods/start=2026-03-01", "total")] == "2"
    assert found[("ranking_quality", "reviews", "rated")] == "0"  # the reviewed are in MX
    assert found[("exposure", "by_sme_country/CA", "impressions")] == "2"
    assert found[("model", "", "version")] == "'@evil"
    assert found[("model", "metrics/sme_mentor", "'-auc")] == "0.75"


def test_exports_hold_no_contact_and_no_formula(client, signed_in, program):
    signed_in("coordinator")
    for path in ("/dashboard/introductions.csv", "/dashboard/metrics.csv"):
        rows, response = download(client, path)
        body = response.get_data(as_text=True)
        assert [x for x in CONTACTS if x in body] == []
        assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for row in rows for cell in row), path


def test_page_numbers_follow_the_locale(client, signed_in, program):
    signed_in("coordinator", locale="fr")
    html = client.get("/dashboard/metrics").get_data(as_text=True)
    assert '<td id="m-acceptance">50\u00a0%</td>' in html
    assert '<strong id="m-cross-share">67\u00a0%</strong>' in html


def test_the_calibration_charts_score_ticks_follow_the_locale(client, signed_in, program):
    signed_in("coordinator", locale="fr")
    chart = section(client.get("/dashboard/metrics").get_data(as_text=True), "deciles")
    ticks = re.findall(r'<text [^>]*class="chart-text"[^>]*>([^<]+)</text>', chart)
    assert {"0,1", "0,5", "0,9"} <= set(ticks) and "0.5" not in ticks


def test_page_shows_outcomes_by_score_decile(client, signed_in, program):
    first, _, completed = (db.session.get(Introduction, i) for i in program[:3])
    for intro, stage, fields in ((first, "session", {"minutes": 60}),
                                 (first, "goal_achieved", {"goal": "first_export"}),
                                 (completed, "session", {"minutes": 30})):
        db.session.add(OutcomeStep(introduction_id=intro.id, stage=stage, status="confirmed",
                                   occurred_on=T0.date(), reported_for_id=intro.requester_id,
                                   **fields))
    db.session.commit()
    signed_in("coordinator")
    html = page(client)
    assert table(html, "outcome-deciles") == [
        ["0.2–0.3", "1", "0 (0%)", "0 (0%)", "0 (0%)"],
        ["0.3–0.4", "1", "1 (100%)", "1 (100%)", "0 (0%)"],
        ["0.8–0.9", "2", "1 (50%)", "1 (50%)", "1 (50%)"]]
    assert bar_classes(html, "outcome-deciles") == [["s-accepted", "s-completed", "s-rate"] * 3]
    spanish = client.get("/dashboard/metrics?lang=es")
    assert "Resultados por decil de puntuación" in spanish.get_data(as_text=True)


def test_no_outcomes_by_decile_says_so(client, signed_in):
    signed_in("coordinator")
    assert "No decided introductions with a score yet." in section(page(client),
                                                                   "outcome-deciles")
