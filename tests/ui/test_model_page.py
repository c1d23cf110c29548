"""The model page starts training as a background job; the job's page shows its progress and
outcome in the reader's language (webapp/ui/jobs_page.py)."""

from __future__ import annotations

import re

import pytest

from models import BackgroundJob, ModelVersion, db
from tests.ui.helpers import text_of
from webapp.services import background


@pytest.fixture
def no_queue(app):
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)
    return app


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def start_training(client, headers=None) -> str:
    html = client.get("/model", headers=headers).get_data(as_text=True)
    answer = client.post("/model/train", headers=headers, data={"csrf_token": csrf_of(html)})
    assert answer.status_code == 303
    return answer.headers["Location"]


def test_staff_start_training_and_follow_it_to_the_new_version(no_queue, client, signed_in):
    signed_in("coordinator")
    page = client.get("/model", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No model is stored yet" in text_of(page)
    job_url = start_training(client)
    waiting = client.get(job_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Queued: Waiting for a job worker" in text_of(waiting)
    assert '<progress id="job-progress" max="100" value="0">' in waiting
    assert "jobs.js" in waiting

    background.run_queued()

    done = client.get(job_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    version = db.session.scalars(db.select(ModelVersion.version)).one()
    assert "Finished: Done" in text_of(done) and version in done
    assert 'value="100"' in done and "jobs.js" not in done  # nothing left to poll
    listed = client.get("/model", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert version in listed


def test_the_job_page_speaks_the_readers_language(no_queue, client, signed_in):
    signed_in("admin", locale="fr")
    job_url = start_training(client)
    page = text_of(client.get(job_url).get_data(as_text=True))
    assert "En file d’attente : En attente d’un processus de tâches" in page


def test_others_neither_start_training_nor_see_a_job(no_queue, client, signed_in):
    signed_in("coordinator")
    job_url = start_training(client)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/model").get_data(
        as_text=True))})
    signed_in("sme")
    assert client.get("/model").status_code == 403
    assert client.get(job_url).status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(BackgroundJob)) == 1


def test_without_a_stored_model_the_page_names_the_version_rankings_use(client, signed_in,
                                                                         make_user):
    from tests.ui.test_profiles import make_profile

    make_profile(make_user("mentor"), "mentor")
    sme = make_profile(signed_in("sme"), "sme")
    served = client.get(f"/api/v1/smes/{sme.id}/matches").get_json()["model_version"]
    signed_in("coordinator")
    page = text_of(client.get("/model", headers={"Accept-Language": "en"}).get_data(
        as_text=True))
    assert "No model is stored yet" in page
    assert f"Serving: version {served}" in page
