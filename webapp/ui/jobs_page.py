"""The model page (versions, and training started as a job) and a job's progress page.

The progress page is rendered on the server, whole; ``jobs.js`` polls ``/api/v1/jobs/<id>``
while the job runs, moves the progress bar and reloads the page when the job moves to another
stage, so that every word on it is the server's, in the reader's language. Without
JavaScript, a link reloads it.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp import catalogue, policy
from webapp.catalogue import model_decisions
from webapp.errors import NotFound
from webapp.i18n import current_locale
from webapp.services import background, job_files, matching, model_training
from webapp.ui.cohort_forms import AllocationForm
from webapp.ui.cohorts import FORM_FIELDS
from webapp.ui.helpers import problem_text, require
from webapp.ui.views import bp

KIND_LABELS = {"train-model": _l("Training a new model"),
               "cohort-run": _l("Allocating a cohort"),
               "csv-export": _l("Preparing a CSV export")}
EXPORT_LABELS = {"introductions": _l("The introductions (CSV)"),
                 "metrics": _l("The program metrics (CSV)"),
                 "impact": _l("The impact report (CSV)")}
STAGE_LABELS = {
    "queued": _l("Waiting for a job worker"),
    "started": _l("Started"),
    "loading": _l("Loading the profiles"),
    "fitting": _l("Fitting the features"),
    "learning": _l("Learning weights from outcomes"),
    "storing": _l("Storing the new version"),
    "done": _l("Done"),
}
KIND_STAGE_LABELS = {  # where a kind words a stage its own way
    ("cohort-run", "scoring"): _l("Scoring the possible pairs"),
    ("cohort-run", "solving"): _l("Solving the allocation"),
    ("cohort-run", "storing"): _l("Storing the proposal"),
    ("csv-export", "reading"): _l("Reading the rows"),
    ("csv-export", "writing"): _l("Writing the CSV"),
    ("csv-export", "storing"): _l("Storing the file"),
}
STATE_LABELS = {"queued": _l("Queued"), "running": _l("Running"),
                "finished": _l("Finished"), "failed": _l("Failed")}


@bp.get("/model")
@login_required
def model_page():
    """List the model versions; staff can start training a new one."""
    require(policy.may_manage_models(current_user))
    versions = model_training.list_versions()[:20]
    return render_template("model.html", versions=versions, serving=matching.serving_version(),
                           decisions={v.version: decisions_view(
                               model_training.decisions_of(v.metrics), v.n_outcomes)
                               for v in versions})


@bp.post("/model/train")
@login_required
def train_model():
    """Start training as a job and show its progress."""
    require(policy.may_manage_models(current_user))
    job = background.start_job(current_user, "train-model")
    return redirect(url_for("ui.job_page", job_id=job.id), 303)


def decisions_view(decisions: dict | None, n_outcomes: int | None) -> dict | None:
    """Return what the learning gate decided per direction, in the reader's language.

    ``rows`` names each direction and says whether its learned weights were promoted and
    why; ``nothing`` says that no outcome was there to learn from. None when there is
    nothing to say (a version recorded before the gate gave reasons).
    """
    locale = current_locale()
    if decisions:
        return {"rows": model_decisions.decision_rows(decisions, locale), "nothing": None}
    if n_outcomes == 0:
        return {"rows": [], "nothing": model_decisions.nothing_learned(locale)}
    return None


def training_view(job) -> dict | None:
    """Return what a finished training job's page says: the directions whose learned weights
    were promoted, and each direction's decision (from the job's result, or for a job that
    recorded none, from the version it stored)."""
    result = job.result or {}
    if job.kind != "train-model" or job.state != "finished" or not result:
        return None
    decisions = result.get("decisions")
    if decisions is None and result.get("version"):
        decisions = model_training.version_decisions(result["version"])
    locale = current_locale()
    return {"promoted": [model_decisions.direction_label(d, locale)
                         for d in result.get("promoted") or []],
            "decisions": decisions_view(decisions, result.get("n_outcomes"))}


def field_label(kind: str, name: str) -> str:
    """Return the label of the form field a job's field problem is about ("" if none)."""
    if kind == "cohort-run" and name in FORM_FIELDS:
        return str(AllocationForm(formdata=None)[FORM_FIELDS[name]].label.text)
    return ""


@bp.get("/jobs/<string:job_id>")
@login_required
def job_page(job_id: str):
    """Show a job's progress and, when it ends, its outcome."""
    try:
        job = background.find_job(current_user, job_id)
    except NotFound:
        abort(404)
    return render_job(job)


def render_job(job, status: int = 200):
    """Render a job's page (the status given: a download asked for too early says 409)."""
    error, problems = None, []
    if job.error_code:
        error = catalogue.describe(job.error_code, current_locale(),
                                   **background.refusal_params(job))
        problems = [{"field": field_label(job.kind, name), "message": problem_text(p)}
                    for name, found in background.field_problems(job).items() for p in found]
    stage = KIND_STAGE_LABELS.get((job.kind, job.stage)) or STAGE_LABELS.get(job.stage,
                                                                             job.stage)
    return render_template("job.html", job=job, error=error, problems=problems,
                           kind=KIND_LABELS.get(job.kind, job.kind), stage=stage,
                           state=STATE_LABELS.get(job.state, job.state),
                           running=job.state in ("queued", "running"),
                           export=export_view(job), training=training_view(job)), status


def export_view(job) -> dict | None:
    """Return what the page says of an export job: which export, and its file once made."""
    if job.kind != "csv-export":
        return None
    export = (job.params or {}).get("export")
    finished = job.state == "finished" and job.result
    return {"label": EXPORT_LABELS.get(export, export), "back": "ui.impact_page"
            if export == "impact" else "ui.metrics",
            "file": job_files.kept(job.id) if finished else None,
            "days": job_files.keep_days()}
