"""A coordinator starts training from the model page and watches it: the job's page follows
the job by itself (jobs.js polls /api/v1/jobs/<id>) and shows the outcome when it ends."""

from __future__ import annotations

from playwright.sync_api import expect

from models import db
from tests.browser.pages import log_in
from webapp.services import background


def test_the_job_page_follows_training_to_its_end(new_page, account, app):
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)  # the test is the worker
    page = new_page(locale="es-MX")
    log_in(page, account("coordinator", locale="es"))
    page.goto("/model")
    page.get_by_role("button", name="Iniciar el entrenamiento").click()
    expect(page.locator("#job-status")).to_have_text("En cola: En espera de un proceso de trabajos")
    job_id = page.url.rsplit("/", 1)[1]

    db.session.rollback()  # end the test's read, so its write does not wait (SQLite)
    assert background.run_job(job_id)

    expect(page.locator("#job-status")).to_have_text("Finalizado: Terminado", timeout=15_000)
    expect(page.locator("#job-progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("link", name="Volver al modelo de emparejamiento")).to_be_visible()
