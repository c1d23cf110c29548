"""CSV exports started as background jobs: large periods are written by a job worker, with
visible progress, and downloaded from the job once finished (``job_files``).

The filters are validated at the edge (the page's form, the API's schema), as for the direct
downloads; here the export is checked against the policy and queued.
"""

from __future__ import annotations

from typing import Any

from models import BackgroundJob, User
from webapp import policy
from webapp.errors import Forbidden, Problem, invalid_fields
from webapp.services import background, export_files

EXPORTS = ("introductions", "metrics", "impact")
KIND = "csv-export"


def may_export(actor: User, export: str) -> bool:
    """Tell whether the actor may export it (the impact report, or the program's data)."""
    return policy.may_see_impact(actor) if export == "impact" else policy.may_see_program(actor)


def start_export(actor: User, export: str, filters: dict[str, Any]) -> BackgroundJob:
    """Queue the export of the (validated) filters as a job for the actor; return the job."""
    if export not in EXPORTS:
        raise invalid_fields({"export": Problem("not_one_of")})
    if not may_export(actor, export):
        raise Forbidden("staff_only_exports")
    return background.start_job(actor, KIND, {
        "export": export, "filters": export_files.filters_to_store(filters)})
