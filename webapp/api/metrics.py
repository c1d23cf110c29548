"""``/api/v1/metrics``: program metrics for coordinators."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from webapp import policy
from webapp.api.base import Blueprint
from webapp.schemas.metrics import MetricsQuerySchema, MetricsSchema
from webapp.services.metrics import program_metrics

blp = Blueprint("metrics", __name__, url_prefix="/api/v1/metrics",
                description="Match quality and reach of the program (coordinators)")


@blp.route("")
class Metrics(MethodView):
    decorators = [login_required]

    @blp.arguments(MetricsQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, MetricsSchema)
    @blp.requires(policy.may_see_program, "staff_only_metrics")
    def get(self, args):
        """Return outcomes over time, acceptance, ranking quality, exposure and mentor load."""
        return program_metrics(current_user, args)
