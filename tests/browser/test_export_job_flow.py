"""A coordinator prepares a CSV export from the metrics page as a background job, watches its
page follow the job to its end and downloads the file it offers: the direct link's bytes."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from models import db
from tests.browser.pages import log_in
from webapp.services import background


def test_the_metrics_page_prepares_a_csv_the_job_page_then_offers(new_page, account, app):
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)  # the test is the worker
    page = new_page(locale="fr-CA")
    log_in(page, account("coordinator", locale="fr"))
    page.goto("/dashboard/metrics?country=MX")
    page.get_by_role("button", name="Préparer le CSV des indicateurs comme tâche en "
                                    "arrière-plan").click()
    expect(page.locator("#job-status")).to_have_text(
        "En file d’attente : En attente d’un processus de tâches")
    job_id = page.url.rsplit("/", 1)[1]

    db.session.rollback()  # end the test's read, so its write does not wait (SQLite)
    assert background.run_job(job_id)

    expect(page.locator("#job-progress")).to_have_attribute("value", "100", timeout=15_000)
    link = page.get_by_role("link", name="Télécharger puente-metrics-")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    prepared = Path(download.value.path()).read_bytes()
    direct = page.request.get("/dashboard/metrics.csv?country=MX").body()
    assert prepared == direct and prepared.startswith(b"section,group,measure,value\r\n")
