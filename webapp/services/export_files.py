"""What a ``csv-export`` job does: read the rows of an export, write them as CSV a chunk at a
time (reporting the rows written), and hand the file back to be kept with the job's result.

The rows and the CSV writer are those of the direct downloads (``exports``,
``impact_tables``), so a job's file is byte for byte the download of the same filters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from flask import current_app

from models import User, utcnow
from webapp.errors import NotFound
from webapp.services import exports, impact, impact_tables
from webapp.services.job_files import FileMade, Made

CONTENT_TYPE = "text/csv; charset=utf-8"
DATE_FILTERS = ("from", "to")  # the introductions' and metrics' days (impact's are years)
# Percent done when the rows are read, and when they are all written.
READ, WRITTEN = 10, 90
Progress = Callable[[int, str], None]  # as background.Progress


def filters_to_store(filters: dict[str, Any]) -> dict[str, Any]:
    """Return validated filters as a job's JSON parameters (days as YYYY-MM-DD)."""
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in filters.items()}


def stored_filters(export: str, stored: dict[str, Any]) -> dict[str, Any]:
    """Return the filters a job stored as the services take them (days as dates)."""
    if export == "impact":
        return dict(stored)
    return {key: date.fromisoformat(value) if key in DATE_FILTERS else value
            for key, value in stored.items()}


def table_of(actor: User, export: str, filters: dict[str, Any]
             ) -> tuple[Sequence[str], list[tuple]]:
    """Return the header and rows of an export (each checks that the actor is staff)."""
    if export == "impact":
        report = impact.impact_report(actor, filters)
        return impact_tables.CSV_HEADER, list(impact_tables.csv_rows(report))
    if export == "metrics":
        return exports.METRICS_HEADER, exports.metric_rows(actor, filters)
    return exports.INTRODUCTION_HEADER, exports.introduction_rows(actor, filters)


def filename_of(export: str) -> str:
    """Return the name an export's file is downloaded as (today's date in it)."""
    return f"puente-{export}-{utcnow().date().isoformat()}.csv"


def run_export(actor: User | None, params: dict, progress: Progress) -> Made:
    """Write an export's CSV in chunks with visible progress; return it with its result."""
    if actor is None:  # its starter's account was deleted meanwhile
        raise NotFound("job_not_found")
    export = params["export"]
    progress(0, "reading")
    header, rows = table_of(actor, export, stored_filters(export, params.get("filters") or {}))
    progress(READ, "writing")
    pieces = []
    size = int(current_app.config["PUENTE_EXPORT_CHUNK_ROWS"])
    for done, text in exports.csv_chunks(header, rows, size):
        pieces.append(text)
        progress(READ + (WRITTEN - READ) * done // max(1, len(rows)), "writing")
    progress(WRITTEN, "storing")
    content, filename = "".join(pieces).encode("utf-8"), filename_of(export)
    return Made({"export": export, "rows": len(rows), "filename": filename,
                 "size": len(content)}, FileMade(filename, CONTENT_TYPE, content))
