"""``/api/v1/cohorts``: exact cohort allocations of SMEs to mentors, as editable drafts."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import ValidationError

from matcher.reasons import Reason
from models import CohortProposal
from webapp import catalogue, policy
from webapp.api.base import Blueprint, ErrorSchema
from webapp.catalogue import reason_payload
from webapp.errors import error_locale
from webapp.schemas import cohorts as schemas
from webapp.schemas.cohorts import CohortEditSchema, CohortSchema
from webapp.schemas.introductions import NoBodySchema
from webapp.services import cohorts as service

blp = Blueprint("cohorts", __name__, url_prefix="/api/v1/cohorts",
                description="Cohort allocations of SMEs to mentors (coordinators)")

NOT_FOUND = {"schema": ErrorSchema, "description": "No such cohort proposal"}
CONFLICT = {"schema": ErrorSchema, "description": "The proposal is confirmed already"}
STAFF_ONLY = (policy.may_run_cohorts, "staff_only_cohorts")


def dotted_fields(messages: dict[Any, Any], prefix: str = "") -> dict[str, Any]:
    """Return marshmallow's messages with a nested object's fields named by their dotted path
    (``options.min_score``, ``smes.filter.country``); a problem of the object itself keeps the
    object's name, and list positions stay inside (the problem's ``item``)."""
    out: dict[str, Any] = {}
    for key, value in messages.items():
        name = (prefix or key) if key == "_schema" else f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
            for field, problems in dotted_fields(value, name).items():
                out.setdefault(field, []).extend(problems)
        else:
            out.setdefault(name, []).extend(value if isinstance(value, list) else [value])
    return out


class CohortRequestSchema(schemas.CohortRequestSchema):
    """The allocation request, whose problems name the dotted field (``options.pinned``) as
    the service's refusals do. Same name as its base: the OpenAPI component is unchanged."""

    def handle_error(self, error: ValidationError, data: Any, **kwargs) -> None:
        raise ValidationError(dotted_fields(error.messages)) from error


def present(proposal: CohortProposal) -> dict[str, Any]:
    """Return the proposal as the API shows it, worded in the caller's language from its
    stored codes: each pair's reasons as every explanation of the API (``{code, params,
    message}``, the message the cohort page shows staff), a refused pair's ``error``."""
    shown = {name: getattr(proposal, name) for name in (
        "id", "status", "created_by_id", "created_at", "confirmed_at", "previous_id",
        "request", "result")}
    result, locale = proposal.result or {}, error_locale()
    if "pairs" in result:
        shown["result"] = result = {**result, "pairs": [
            {**pair, "reasons": [reason_payload(Reason(r["code"], r.get("params") or {}), locale,
                                                staff_about="sme")
                                 for r in pair.get("reasons", [])]}
            for pair in result["pairs"]]}
    confirmation = result.get("confirmation")
    if confirmation:
        failed = [{**f, "error": catalogue.describe(f["code"], locale,
                                                   **(f.get("params") or {}))}
                  for f in confirmation.get("failed", [])]
        shown["result"] = {**result, "confirmation": {**confirmation, "failed": failed}}
    return shown


@blp.route("")
class Cohorts(MethodView):
    decorators = [login_required]

    @blp.arguments(CohortRequestSchema)
    @blp.response(201, CohortSchema)
    @blp.requires(*STAFF_ONLY)
    def post(self, data):
        """Allocate a cohort exactly and store the draft (with a diff against previous_id)."""
        return present(service.propose(current_user, data))


@blp.route("/<int:proposal_id>")
class CohortItem(MethodView):
    decorators = [login_required]

    @blp.response(200, CohortSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.requires(*STAFF_ONLY)
    def get(self, proposal_id):
        """Read a cohort proposal."""
        return present(service.get_proposal(current_user, proposal_id))

    @blp.arguments(CohortEditSchema)
    @blp.response(200, CohortSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.requires(*STAFF_ONLY)
    def patch(self, data, proposal_id):
        """Remove and add pairs of a draft (eligibility and capacity are checked)."""
        return present(service.edit_proposal(current_user, proposal_id, data))


@blp.route("/<int:proposal_id>/confirm")
class Confirm(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, CohortSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.requires(*STAFF_ONLY)
    def post(self, _body, proposal_id):
        """Create the draft's introductions (SME → mentor) and mark it confirmed."""
        return present(service.confirm_proposal(current_user, proposal_id))
