"""The request of a CSV export job: which export, and the filters its direct download takes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import INCLUDE, post_load

from webapp.schemas.base import Schema
from webapp.schemas.metrics import MetricsQuerySchema
from webapp.schemas.outcomes import ImpactQuerySchema
from webapp.schemas.validators import OneOf

EXPORTS = ("introductions", "metrics", "impact")


def filter_schema(export: str) -> Schema:
    """Return the schema of an export's filters: those of its GET endpoint."""
    if export == "impact":
        return ImpactQuerySchema(exclude=("lang",))
    return MetricsQuerySchema()


class ExportRequestSchema(Schema):
    """``export`` and, beside it, the filters of that export (any other field is refused)."""

    class Meta:
        unknown = INCLUDE  # the filters, checked by the export's own schema below

    export = ma.fields.String(required=True, validate=OneOf(EXPORTS), metadata={
        "description": "introductions and metrics take the filters of /api/v1/metrics "
                       "(from, to as days, country, kind); impact those of /api/v1/impact "
                       "(from, to as years, country, ownership, pairing, source)"})

    @post_load
    def _filters(self, data, **kwargs):
        export = data.pop("export")
        return {"export": export, "filters": filter_schema(export).load(data)}
