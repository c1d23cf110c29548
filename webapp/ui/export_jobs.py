"""CSV exports prepared as background jobs from the metrics and impact pages, and the download
of a finished job's file (its starter and program staff, like the job's page).

The direct download links stay for short periods; a long period is prepared by a job worker
while the job's page shows its progress, then offers the file.
"""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import HiddenField

from webapp import policy
from webapp.errors import NotFound, PuenteError
from webapp.services import background, export_jobs, job_files
from webapp.ui.forms import StorableForm
from webapp.ui.helpers import require
from webapp.ui.impact_forms import ImpactFilterForm
from webapp.ui.jobs_page import render_job
from webapp.ui.metrics_forms import MetricsFilterForm
from webapp.ui.views import bp

METRICS_EXPORTS = ("metrics", "introductions")  # prepared from the metrics page


class ExportJobForm(StorableForm):
    """A "prepare as a job" button: which export (the filters travel beside it, hidden)."""

    export = HiddenField()


def _start(exports: tuple[str, ...], filters, template: str):
    """Queue the export of the posted filters and show its job; 422 with the filters' errors
    next to their fields, nothing queued."""
    chosen = ExportJobForm()
    if not chosen.validate() or chosen.export.data not in exports:
        abort(400)
    if not filters.validate():
        return render_template(template, form=filters, view=None, query={}), 422
    job = export_jobs.start_export(current_user, chosen.export.data, filters.filters())
    return redirect(url_for("ui.job_page", job_id=job.id), 303)


@bp.post("/dashboard/exports")
@login_required
def metrics_export_job():
    """Prepare the metrics or the introductions of the filters as a CSV, in a job."""
    require(policy.may_see_program(current_user))
    return _start(METRICS_EXPORTS, MetricsFilterForm(request.form), "metrics.html")


@bp.post("/impact/export")
@login_required
def impact_export_job():
    """Prepare the impact report of the filters as a CSV, in a job."""
    require(policy.may_see_impact(current_user))
    return _start(("impact",), ImpactFilterForm(request.form), "impact.html")


@bp.get("/jobs/<string:job_id>/download")
@login_required
def job_download(job_id: str):
    """Download the file of a finished job (409 before; 404 to those who may not follow it)."""
    try:
        job = background.find_job(current_user, job_id)
    except NotFound:
        abort(404)
    try:
        found = job_files.file_of(job)
    except PuenteError as err:  # not finished (409), or no file (404): the page says which
        return render_job(job, err.status)
    return Response(found.content, content_type=found.content_type, headers={
        "Content-Disposition": f'attachment; filename="{found.filename}"'})
