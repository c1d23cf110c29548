"""What a csv-export job does (webapp/services/export_files.py): the direct download's rows,
written a chunk at a time with progress, kept with the job's result."""

from __future__ import annotations

from datetime import date

import pytest

from models import BackgroundJob, JobFile, db
from tests.ui.test_metrics_page import program  # noqa: F401  (a fixture)
from webapp.services import background, export_files, export_jobs, exports
from webapp.services import job_files as job_files_service


@pytest.mark.parametrize("size", [1, 2, 4, 100])
def test_chunks_join_into_the_direct_downloads_text(size):
    rows = [(1, "=x", None), (2, "a,b", 0.5), (3, 'say "hi"', -1), (4, "", "@")]
    chunks = list(exports.csv_chunks(("a", "b", "c"), rows, size))
    assert "".join(text for _, text in chunks) == exports.to_csv(("a", "b", "c"), rows)
    assert [done for done, _ in chunks][-1] == 4 and len(chunks) == -(-4 // size)


def test_no_rows_is_the_header_alone():
    assert list(exports.csv_chunks(("a", "b"), [], 10)) == [(0, "a,b\r\n")]


def test_filters_are_stored_as_json_and_read_back():
    filters = {"from": date(2026, 3, 1), "to": date(2026, 3, 31), "country": "MX"}
    stored = export_files.filters_to_store(filters)
    assert stored == {"from": "2026-03-01", "to": "2026-03-31", "country": "MX"}
    assert export_files.stored_filters("metrics", stored) == filters
    assert export_files.stored_filters("impact", {"from_": 2024}) == {"from_": 2024}


def test_the_job_reports_its_rows_chunk_by_chunk_up_to_100(app, make_user, program):  # noqa: F811
    app.config["PUENTE_EXPORT_CHUNK_ROWS"] = 2
    staff = make_user("coordinator")
    job = export_jobs.start_export(staff, "introductions", {})
    seen = []
    progress = background._progress

    def spy(job_id, percent, stage):
        seen.append((percent, stage))
        progress(job_id, percent, stage)

    background._progress = spy
    try:
        assert background.run_job(job.id)
    finally:
        background._progress = progress
    assert seen == [(0, "reading"), (10, "writing"), (36, "writing"), (63, "writing"),
                    (90, "writing"), (90, "storing")]
    db.session.refresh(job)
    assert (job.state, job.progress, job.stage) == ("finished", 100, "done")
    assert job.result["rows"] == 6
    kept = db.session.get(JobFile, job_files_service.kept(job.id).id)
    assert kept.content == exports.to_csv(
        exports.INTRODUCTION_HEADER, exports.introduction_rows(staff, {})).encode()
    assert kept.size == job.result["size"] == len(kept.content)


def test_the_file_is_written_with_the_result_or_not_at_all(make_user, monkeypatch):
    staff = make_user("coordinator")
    job = export_jobs.start_export(staff, "metrics", {})

    def refuse_to_finish(*args, **kwargs):
        raise RuntimeError("the database went away while finishing")

    monkeypatch.setattr(job_files_service, "add", refuse_to_finish)
    with pytest.raises(RuntimeError):
        background.run_job(job.id)
    db.session.rollback()
    row = db.session.get(BackgroundJob, job.id)
    assert (row.state, row.result) == ("running", None)  # as a crash leaves it: retaken later
    assert db.session.scalars(db.select(JobFile)).all() == []
    monkeypatch.undo()
    assert background.run_job(job.id, retaking=True)
    db.session.refresh(row)
    assert row.state == "finished" and job_files_service.kept(job.id) is not None
