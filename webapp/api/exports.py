"""``/api/v1/exports``: a CSV export (introductions, metrics, impact) started as a background
job; its file is downloaded from ``/api/v1/jobs/<id>/file`` once the job has finished."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_login import current_user, login_required

from webapp import policy
from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.jobs import JobSchema
from webapp.api.jobs import present as present_job
from webapp.schemas.exports import ExportRequestSchema
from webapp.services import export_jobs

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports",
                description="CSV exports prepared as background jobs (coordinators and admins)")


@blp.route("")
class Exports(MethodView):
    decorators = [login_required]

    @blp.arguments(ExportRequestSchema)
    @blp.response(202, JobSchema, description="The export started as a job: poll its Location; "
                  "once finished, its result names the file to download")
    @blp.alt_response(422, schema=ErrorSchema, description="A field is invalid or unknown "
                      "(named); nothing is queued")
    @blp.requires(policy.may_see_program, "staff_only_exports")
    def post(self, data):
        """Prepare a CSV export of the filters as a background job (large periods)."""
        job = export_jobs.start_export(current_user, data["export"], data["filters"])
        return present_job(job), 202, {"Location": url_for("jobs.Job", job_id=job.id)}
