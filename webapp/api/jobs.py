"""``/api/v1/jobs/<id>``: a background job's progress, for the user who started it and staff;
``/api/v1/jobs/<id>/file``: the file it made (a CSV export), for the same readers."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, url_for
from flask.views import MethodView
from flask_login import current_user, login_required

from webapp import catalogue
from webapp.api.base import Blueprint, ErrorSchema
from webapp.i18n import current_locale
from webapp.schemas.base import Schema
from webapp.services import background, job_files

blp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs",
                description="Background jobs started from pages or the API, with progress")


class JobErrorSchema(Schema):
    code = ma.fields.String()
    message = ma.fields.String(metadata={"description": "In the caller's language"})
    params = ma.fields.Dict()
    problems = ma.fields.Dict(attribute="fields", data_key="fields", metadata={
        "description": "Problems of the request's fields, by name (code, message, params)"})


class JobSchema(Schema):
    id = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "e.g. train-model"})
    status = ma.fields.String(metadata={"description": "queued, running, finished or failed"})
    progress = ma.fields.Integer(metadata={"description": "Percent done"})
    stage = ma.fields.String(metadata={"description": "What it is doing, as a code"})
    result = ma.fields.Dict(allow_none=True, metadata={
        "description": "What it made; a CSV export's: export, rows, filename, size and "
                       "download (the file's address)"})
    error = ma.fields.Nested(JobErrorSchema, allow_none=True)
    created_at = ma.fields.AwareDateTime()
    started_at = ma.fields.AwareDateTime(allow_none=True)
    finished_at = ma.fields.AwareDateTime(allow_none=True)


def present(job) -> dict:
    """Return what the caller may read of a job, its error worded in the caller's language."""
    error = None
    if job.error_code:
        params, locale = background.refusal_params(job), current_locale()
        error = {"code": job.error_code, "params": params,
                 "message": catalogue.describe(job.error_code, locale, **params),
                 "fields": {name: [catalogue.render_problem(p, locale) for p in problems]
                            for name, problems in background.field_problems(job).items()}}
    return {"id": job.id, "kind": job.kind, "status": job.state, "progress": job.progress,
            "stage": job.stage, "result": result_of(job), "error": error,
            "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at}


def result_of(job) -> dict | None:
    """Return a job's result, with the address of its file when it made one."""
    if job.result and job.result.get("filename"):
        return {**job.result, "download": url_for("jobs.File", job_id=job.id)}
    return job.result


@blp.route("/<string:job_id>")
class Job(MethodView):
    decorators = [login_required]

    @blp.response(200, JobSchema)
    @blp.alt_response(404, schema=ErrorSchema, description="No such job, or not the caller's")
    @blp.auth_required
    def get(self, job_id):
        """Read a job's status and progress (poll it until finished or failed)."""
        return present(background.find_job(current_user, job_id))


@blp.route("/<string:job_id>/file")
class File(MethodView):
    decorators = [login_required]

    @blp.response(200, {"type": "string", "format": "binary"}, content_type="text/csv",
                  description="The file (a CSV export, as an attachment)")
    @blp.alt_response(404, schema=ErrorSchema, description="No such job, or not the "
                      "caller's; it made no file, or its file was deleted after the days kept")
    @blp.alt_response(409, schema=ErrorSchema, description="The job has not finished")
    @blp.auth_required
    def get(self, job_id):
        """Download the file a finished job made (a CSV export)."""
        found = job_files.file_of(background.find_job(current_user, job_id))
        return Response(found.content, content_type=found.content_type, headers={
            "Content-Disposition": f'attachment; filename="{found.filename}"'})
