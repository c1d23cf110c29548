"""``/api/v1/introductions/<id>/outcomes``: the ladder of an accepted introduction;
``/api/v1/impact``: the program's impact report (staff)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from webapp import policy
from webapp.api.base import Blueprint, ErrorSchema
from webapp.errors import error_locale
from webapp.schemas.outcomes import (
    AnswerSchema,
    ImpactQuerySchema,
    ImpactSchema,
    OutcomeListSchema,
    OutcomeRequestSchema,
    OutcomeStepSchema,
    UsdRateListSchema,
    UsdRateRequestSchema,
    UsdRateSchema,
)
from webapp.services import impact, usd_rates
from webapp.services import outcome_steps as service

blp = Blueprint("outcomes", __name__, url_prefix="/api/v1",
                description="Outcome ladders of accepted introductions, and the impact report")

NOT_FOUND = {"schema": ErrorSchema,
             "description": "No such introduction or step (or not yours to see)"}
FORBIDDEN = {"schema": ErrorSchema, "description": "Not a party (or your own step)"}
CONFLICT = {"schema": ErrorSchema, "description": "The introduction is not accepted, the "
            "step breaks the ladder's order, or it was answered already"}
INVALID = {"schema": ErrorSchema, "description": "A field is invalid (named)"}


@blp.route("/introductions/<int:intro_id>/outcomes")
class Outcomes(MethodView):
    decorators = [login_required]

    @blp.response(200, OutcomeListSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.auth_required
    def get(self, intro_id):
        """List the steps of the introduction's ladder (parties and staff)."""
        return {"items": service.list_steps(current_user, intro_id)}

    @blp.arguments(OutcomeRequestSchema)
    @blp.response(201, OutcomeStepSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(422, **INVALID)
    @blp.auth_required
    def post(self, data, intro_id):
        """Report a step for your side; the other party confirms or disputes it."""
        return service.report_step(current_user, intro_id, data)


@blp.route("/introductions/<int:intro_id>/outcomes/<int:step_id>/confirm")
class Confirm(MethodView):
    decorators = [login_required]

    @blp.arguments(AnswerSchema, required=False)
    @blp.response(200, OutcomeStepSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(422, **INVALID)
    @blp.auth_required
    def post(self, data, intro_id, step_id):
        """Confirm the other party's step (staff: on a party's behalf, with a note)."""
        return service.confirm_step(current_user, intro_id, step_id, (data or {}).get(
            "note", ""))


@blp.route("/introductions/<int:intro_id>/outcomes/<int:step_id>/dispute")
class Dispute(MethodView):
    decorators = [login_required]

    @blp.arguments(AnswerSchema)
    @blp.response(200, OutcomeStepSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(422, **INVALID)
    @blp.auth_required
    def post(self, data, intro_id, step_id):
        """Dispute the other party's step, saying why in the note."""
        return service.dispute_step(current_user, intro_id, step_id, data["note"])


@blp.route("/impact")
class Impact(MethodView):
    decorators = [login_required]

    @blp.arguments(ImpactQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ImpactSchema)
    @blp.alt_response(403, schema=ErrorSchema, description="Not a coordinator or an admin")
    @blp.requires(policy.may_see_impact, "staff_only_impact")
    def get(self, args):
        """Report the program's outcomes by year, funnel, country, ownership and source."""
        args.pop("lang", None)
        return impact.render_warnings(impact.impact_report(current_user, args), error_locale())


@blp.route("/impact/rates")
class Rates(MethodView):
    decorators = [login_required]

    @blp.response(200, UsdRateListSchema)
    @blp.alt_response(403, schema=ErrorSchema, description="Not a coordinator or an admin")
    @blp.requires(policy.may_see_impact, "staff_only_impact")
    def get(self):
        """List the yearly US dollar rates the report converts with, and their sources."""
        return {"items": usd_rates.list_rates(current_user)}


@blp.route("/impact/rates/<int:year>/<string:currency>")
class Rate(MethodView):
    decorators = [login_required]

    @blp.arguments(UsdRateRequestSchema)
    @blp.response(200, UsdRateSchema)
    @blp.alt_response(403, schema=ErrorSchema, description="Not an admin")
    @blp.alt_response(422, **INVALID)
    @blp.requires(policy.may_set_usd_rates, "admin_only_rates")
    def put(self, data, year, currency):
        """Set a year's average rate of a currency, with its source (admins)."""
        return usd_rates.set_rate(current_user, year, currency, data["units_per_usd"],
                                  data["source"])
