"""``POST /api/v1/exports`` (a CSV export as a background job) and ``GET
/api/v1/jobs/<id>/file`` (its file): staff start them, the starter and staff download them."""

from __future__ import annotations

import pytest

from models import BackgroundJob, JobFile, db
from tests.factories import login, row_counts
from tests.ui.test_metrics_page import program  # noqa: F401  (a fixture)
from webapp.services import background


@pytest.fixture
def no_queue(app):
    """The app without Redis: the jobs wait for the runner (``run_queued``)."""
    app.config.update(REDIS_URL=None, PUENTE_JOBS_REDIS_URL=None)
    return app


def test_an_export_runs_as_a_job_whose_file_is_the_direct_download(
        no_queue, client, as_role, program):  # noqa: F811
    _, coordinator = as_role("coordinator")
    started = client.post("/api/v1/exports", headers=coordinator,
                          json={"export": "introductions", "country": "CA"})
    assert started.status_code == 202
    job = started.get_json()
    assert (job["kind"], job["status"], job["progress"]) == ("csv-export", "queued", 0)
    assert started.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    early = client.get(f"/api/v1/jobs/{job['id']}/file", headers=coordinator)
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "job_not_finished"

    assert background.run_queued() == 1

    done = client.get(started.headers["Location"], headers=coordinator).get_json()
    assert (done["status"], done["progress"], done["stage"]) == ("finished", 100, "done")
    result = done["result"]
    assert result["rows"] == 2 and result["export"] == "introductions"
    assert result["download"] == f"/api/v1/jobs/{job['id']}/file"
    assert result["filename"].startswith("puente-introductions-")
    file = client.get(result["download"], headers=coordinator)
    assert file.status_code == 200 and file.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert file.headers["Content-Disposition"] == f'attachment; filename="{result["filename"]}"'
    _, admin = as_role("admin")
    assert client.get(result["download"], headers=admin).get_data() == file.get_data()
    stored = db.session.scalars(db.select(JobFile)).one()
    assert (stored.job_id, stored.size) == (job["id"], len(file.get_data()))


@pytest.mark.parametrize("body", [
    {"export": "metrics", "from": "2026-03-01", "to": "2026-03-31", "kind": "sme_mentor"},
    {"export": "introductions"},
    {"export": "impact", "from": 2024, "pairing": "trade"},
])
def test_the_file_is_byte_for_byte_the_pages_download(no_queue, client, as_role, body,
                                                      program):  # noqa: F811
    user, coordinator = as_role("coordinator")
    job = client.post("/api/v1/exports", headers=coordinator, json=body).get_json()
    background.run_queued()
    file = client.get(f"/api/v1/jobs/{job['id']}/file", headers=coordinator)
    export, query = body["export"], {k: v for k, v in body.items() if k != "export"}
    path = "/impact.csv" if export == "impact" else f"/dashboard/{export}.csv"
    assert login(client, user.email).status_code == 302
    direct = client.get(path, query_string=query)
    assert direct.status_code == 200
    assert file.get_data() == direct.get_data()


@pytest.mark.parametrize("body, field, code", [
    ({"export": "metrics", "ownership": "women"}, "ownership", "unknown_field"),
    ({"export": "impact", "kind": "sme_mentor"}, "kind", "unknown_field"),
    ({"export": "metrics", "filters": {}}, "filters", "unknown_field"),
    ({"export": "users"}, "export", "not_one_of"),
    ({"country": "MX"}, "export", "required"),
    ({"export": "metrics", "from": "2026-02-30"}, "from", "invalid_date"),
    ({"export": "metrics", "from": "2026-03-02", "to": "2026-03-01"}, "to", "not_before"),
    ({"export": "impact", "from": 1999}, "from", "out_of_range"),
    ({"export": "impact", "from": 2030, "to": 2020}, "to", "not_before"),
    ({"export": "impact", "lang": "es"}, "lang", "unknown_field"),
])
def test_invalid_requests_name_the_field_and_queue_nothing(no_queue, client, as_role, body,
                                                           field, code):
    _, coordinator = as_role("coordinator")
    before = row_counts()
    answer = client.post("/api/v1/exports", headers=coordinator, json=body)
    assert answer.status_code == 422, answer.get_json()
    problems = answer.get_json()["error"]["fields"]
    assert list(problems) == [field]
    assert problems[field][0]["code"] == code, problems
    assert row_counts() == before


@pytest.mark.parametrize("role", ["sme", "mentor", "buyer"])
def test_only_staff_start_exports(no_queue, client, as_role, role):
    _, headers = as_role(role)
    for export in ("introductions", "metrics", "impact"):
        answer = client.post("/api/v1/exports", headers=headers, json={"export": export})
        assert answer.status_code == 403
        assert answer.get_json()["error"]["code"] == "staff_only_exports"
    assert client.post("/api/v1/exports", json={"export": "metrics"}).status_code == 401
    assert db.session.scalars(db.select(BackgroundJob)).all() == []


def test_the_file_is_the_starters_and_staffs_only(no_queue, client, as_role):
    _, starter = as_role("coordinator")
    job_id = client.post("/api/v1/exports", headers=starter,
                         json={"export": "metrics"}).get_json()["id"]
    background.run_queued()
    url = f"/api/v1/jobs/{job_id}/file"
    _, other_coordinator = as_role("coordinator")  # staff follow every job (the job policy)
    assert client.get(url, headers=other_coordinator).status_code == 200
    for role in ("sme", "mentor", "buyer"):
        _, headers = as_role(role)
        answer = client.get(url, headers=headers)
        assert answer.status_code == 404
        assert answer.get_json()["error"]["code"] == "job_not_found"
    assert client.get(url).status_code == 401
    missing = client.get(f"/api/v1/jobs/{'b' * 32}/file", headers=starter)
    assert missing.status_code == 404


def test_a_job_without_a_file_has_none_to_download(no_queue, client, as_role):
    _, coordinator = as_role("coordinator")
    job_id = client.post("/api/v1/models/train", headers=coordinator).get_json()["id"]
    background.run_queued()
    answer = client.get(f"/api/v1/jobs/{job_id}/file", headers=coordinator)
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "job_file_not_found"
    assert "download" not in client.get(f"/api/v1/jobs/{job_id}",
                                        headers=coordinator).get_json()["result"]


def test_a_failed_export_says_why_in_the_callers_language(no_queue, client, as_role):
    user, coordinator = as_role("coordinator", locale="es")
    job_id = client.post("/api/v1/exports", headers=coordinator,
                         json={"export": "introductions"}).get_json()["id"]
    user.role = "sme"  # no longer staff when the job runs
    db.session.commit()
    background.run_queued()
    job = client.get(f"/api/v1/jobs/{job_id}", headers={**coordinator,
                                                        "Accept-Language": "es"}).get_json()
    assert (job["status"], job["error"]["code"]) == ("failed", "staff_only_exports")
    assert job["error"]["message"].startswith("Solo")
    assert client.get(f"/api/v1/jobs/{job_id}/file", headers=coordinator).status_code == 409
    assert db.session.scalars(db.select(JobFile)).all() == []


def test_the_openapi_document_describes_both_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    post = paths["/api/v1/exports"]["post"]
    assert {"202", "401", "403", "422"} <= set(post["responses"])
    file = paths["/api/v1/jobs/{job_id}/file"]["get"]
    assert {"200", "404", "409"} <= set(file["responses"])
    assert "text/csv" in file["responses"]["200"]["content"]
