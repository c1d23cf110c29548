"""CSV exports prepared as background jobs from the metrics and impact pages, followed on the
job's page and downloaded from it (webapp/ui/export_jobs.py, the job page's export part)."""

from __future__ import annotations

import re

import pytest

from models import BackgroundJob, db
from tests.factories import csrf_token, login, row_counts
from tests.ui.helpers import field_errors, text_of
from tests.ui.test_impact_page import outcomes  # noqa: F401  (a fixture)
from tests.ui.test_metrics_page import program  # noqa: F401  (a fixture)
from webapp.services import background

EN = {"Accept-Language": "en"}


def prepare(client, path: str, **fields) -> str:
    """Post a "prepare as a job" form; return the job page it leads to."""
    response = client.post(path, data={**fields, "csrf_token": csrf_token(client, "/login")},
                           headers=EN)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert re.fullmatch(r"/jobs/[0-9a-f]{32}", response.location)
    return response.location


def run_only_job() -> BackgroundJob:
    job = db.session.scalars(db.select(BackgroundJob)).one()
    assert background.run_job(job.id)
    db.session.refresh(job)
    return job


@pytest.mark.parametrize("export, query", [
    ("introductions", {"country": "MX", "from": "2026-03-01"}),
    ("metrics", {"to": "2026-03-01", "kind": "sme_mentor"}),
    ("metrics", {}),
])
def test_a_metrics_page_job_makes_the_file_the_direct_link_downloads(
        client, signed_in, program, export, query):  # noqa: F811
    signed_in("coordinator")
    job_url = prepare(client, "/dashboard/exports", export=export, **query)
    waiting = client.get(job_url, headers=EN).get_data(as_text=True)
    assert "Preparing a CSV export" in text_of(waiting) and "jobs.js" in waiting
    assert "/download" not in waiting

    job = run_only_job()
    assert (job.state, job.progress, job.stage) == ("finished", 100, "done")
    done = client.get(job_url, headers=EN).get_data(as_text=True)
    assert f'href="{job_url}/download"' in done and "jobs.js" not in done
    direct = client.get(f"/dashboard/{export}.csv", query_string=query)
    prepared = client.get(f"{job_url}/download")
    assert prepared.status_code == 200
    assert prepared.get_data() == direct.get_data()  # byte for byte
    for header in ("Content-Type", "Content-Disposition"):
        assert prepared.headers[header] == direct.headers[header]
    rows = job.result["rows"]
    assert f"Ready: {rows} row" in text_of(done)


def test_the_impact_page_job_makes_the_file_the_direct_link_downloads(
        client, signed_in, outcomes):  # noqa: F811
    signed_in("admin")
    job_url = prepare(client, "/impact/export", export="impact", to="2025", country="MX")
    run_only_job()
    direct = client.get("/impact.csv?to=2025&country=MX").get_data()
    assert client.get(f"{job_url}/download").get_data() == direct
    assert b"no_usd_rate" in direct  # the report's rows, warnings included
    assert 'href="/impact"' in client.get(job_url, headers=EN).get_data(as_text=True)


def test_the_pages_offer_the_job_beside_the_direct_links(client, signed_in):
    signed_in("coordinator")
    metrics = client.get("/dashboard/metrics?country=CA", headers=EN).get_data(as_text=True)
    form = metrics.split('<form method="post" class="export-job"')[1].split("</form>")[0]
    assert 'action="/dashboard/exports"' in form and 'name="csrf_token"' in form
    assert '<input type="hidden" name="country" value="CA">' in form
    assert "Prepare the metrics CSV as a background job" in form
    assert "The links above download at once" in text_of(form)
    assert 'href="/dashboard/metrics.csv?country=CA"' in metrics  # the direct link stays
    impact = client.get("/impact?from=2024", headers=EN).get_data(as_text=True)
    assert 'action="/impact/export"' in impact and 'value="2024"' in impact
    assert "Prepare the CSV as a background job" in impact


def test_the_job_page_is_in_the_readers_language(client, signed_in):
    signed_in("coordinator", locale="es")
    job_url = prepare(client, "/dashboard/exports", export="metrics")
    run_only_job()
    done = text_of(client.get(job_url).get_data(as_text=True))
    assert "Preparing" not in done and "Download" not in done


@pytest.mark.parametrize("path, fields, field, message", [
    ("/dashboard/exports", {"export": "metrics", "from": "2026-13-01"}, "from",
     "Enter a date as YYYY-MM-DD."),
    ("/dashboard/exports", {"export": "introductions", "from": "2026-03-02",
                            "to": "2026-03-01"}, "to",
     "The end date must not be before the start date."),
    ("/dashboard/exports", {"export": "metrics", "country": "FR"}, "country",
     "Choose a country from the list."),
    ("/impact/export", {"export": "impact", "from": "1999"}, "from",
     "Enter a year from 2000 to 2100."),
])
def test_invalid_filters_are_shown_next_to_their_field_and_queue_nothing(
        client, signed_in, path, fields, field, message):
    signed_in("coordinator")
    before = row_counts()
    response = client.post(path, data={**fields, "csrf_token": csrf_token(client, "/login")},
                           headers=EN)
    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field)
    assert db.session.scalars(db.select(BackgroundJob)).all() == []
    assert row_counts() == before


@pytest.mark.parametrize("path, export", [("/dashboard/exports", "impact"),
                                          ("/dashboard/exports", "users"),
                                          ("/dashboard/exports", None),
                                          ("/impact/export", "metrics")])
def test_an_export_the_page_does_not_offer_is_refused(client, signed_in, path, export):
    signed_in("coordinator")
    chosen = {"export": export} if export else {}
    response = client.post(path, data={**chosen, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 400
    assert db.session.scalars(db.select(BackgroundJob)).all() == []


def test_a_post_without_the_csrf_token_is_refused(client, signed_in):
    signed_in("coordinator")
    assert client.post("/dashboard/exports", data={"export": "metrics"}).status_code == 400
    assert db.session.scalars(db.select(BackgroundJob)).all() == []


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_only_staff_prepare_exports(client, signed_in, role):
    signed_in(role)
    token = csrf_token(client, "/login")
    for path in ("/dashboard/exports", "/impact/export"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403
    assert db.session.scalars(db.select(BackgroundJob)).all() == []


def test_the_download_is_the_starters_and_staffs_and_waits_for_the_job(
        client, signed_in, make_user):
    signed_in("coordinator")
    job_url = prepare(client, "/dashboard/exports", export="metrics")
    early = client.get(f"{job_url}/download", headers=EN)
    assert early.status_code == 409  # the job's page, with its progress
    assert "Queued: Waiting for a job worker" in text_of(early.get_data(as_text=True))
    run_only_job()
    assert client.get(f"{job_url}/download").status_code == 200
    for role, status in (("coordinator", 200), ("admin", 200), ("sme", 404), ("mentor", 404)):
        other = client.application.test_client()
        user = make_user(role)
        assert login(other, user.email).status_code == 302
        assert other.get(f"{job_url}/download").status_code == status, role
    anonymous = client.application.test_client().get(f"{job_url}/download")
    assert anonymous.status_code == 302 and "/login" in anonymous.location
