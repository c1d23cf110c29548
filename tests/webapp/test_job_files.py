"""Files of jobs (webapp/services/job_files.py): read by the job's followers once it has
finished, deleted by the periodic sweep after PUENTE_EXPORT_KEEP_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models import JobFile, db, utcnow
from tests.factories import login
from webapp.errors import Conflict, NotFound
from webapp.jobs import periodic
from webapp.services import background, export_jobs, job_files
from webapp.services.sweep import sweep_introductions


@pytest.fixture
def finished(make_user):
    """Two finished metrics exports: ``(staff, new job, job whose file is 8 days old)``."""
    staff = make_user("coordinator")
    jobs = [export_jobs.start_export(staff, "metrics", {}) for _ in range(2)]
    for job in jobs:
        assert background.run_job(job.id)
    old = job_files.kept(jobs[1].id)
    old.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    return staff, jobs[0], jobs[1]


def test_the_sweep_deletes_files_older_than_the_days_kept(app, finished):
    staff, new, old = finished
    report = sweep_introductions(deliver=False)
    assert report.files_deleted == 1
    assert [f.job_id for f in db.session.scalars(db.select(JobFile))] == [new.id]
    assert sweep_introductions(deliver=False).files_deleted == 0  # idempotent
    app.config["PUENTE_EXPORT_KEEP_DAYS"] = 0
    assert periodic.run_task("sweep-introductions")["files_deleted"] == 1


def test_a_deleted_file_is_said_so_on_the_job_page_and_by_the_api(client, finished):
    staff, _, old = finished
    sweep_introductions(deliver=False)
    db.session.refresh(old)
    with pytest.raises(NotFound) as gone:
        job_files.file_of(old)
    assert (gone.value.code, gone.value.params) == ("job_file_deleted",
                                                    {"id": old.id, "days": 7})
    assert login(client, staff.email).status_code == 302
    page = client.get(f"/jobs/{old.id}", headers={"Accept-Language": "en"}).get_data(True)
    assert "The file was deleted: files are kept 7 days." in page
    assert f"/jobs/{old.id}/download" not in page
    assert client.get(f"/jobs/{old.id}/download").status_code == 404
    answer = client.get(f"/api/v1/jobs/{old.id}/file")
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "job_file_deleted"


def test_an_unfinished_job_has_no_file_yet(make_user):
    job = export_jobs.start_export(make_user("admin"), "impact", {})
    with pytest.raises(Conflict) as early:
        job_files.file_of(job)
    assert early.value.code == "job_not_finished"


def test_the_cli_sweep_says_how_many_files_it_deleted(runner, finished):
    result = runner.invoke(args=["sweep-introductions", "--no-mail"])
    assert "deleted 1 old export files" in result.output
