"""``/api/v1/program/rules``: the program's matching rules and weights (coordinators, admins).

GET answers the rule set with its version as ETag; PUT replaces it, PATCH merges into it
(both refuse a stale ``If-Match`` with 412); POST ``/preview`` ranks a fixed sample of
profiles with the current and the proposed rules, and stores nothing.
"""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_login import current_user, login_required

from matcher import WEIGHT_RANGE
from webapp import policy
from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.etags import ETAG_HEADER, IF_MATCH, STALE, if_match_versions
from webapp.schemas.program_rules import (
    PreviewSchema,
    ProgramRulesOutSchema,
    ProgramRulesSchema,
)
from webapp.services import program_rules as service
from webapp.services import rules_preview

blp = Blueprint("program_rules", __name__, url_prefix="/api/v1/program",
                description="The program's matching rules and factor weights (coordinators)")

BODY = {"required": True, "content": {"application/json": {"schema": ProgramRulesSchema}}}
INVALID = {"schema": ErrorSchema, "description": "A field is invalid (named, dotted: "
           "sme_mentor.weights.sector)"}
FORBIDDEN = {"schema": ErrorSchema, "description": "Not a coordinator or an admin"}
STAFF_ONLY = (policy.may_set_program_rules, "staff_only_rules")


def answer(rules: service.RuleSet):
    """Return the rule set as the API shows it, with its ETag."""
    return {**rules.as_dict(), "version": rules.version,
            "weight_range": list(WEIGHT_RANGE)}, {"ETag": f'"{rules.version}"'}


@blp.route("/rules")
class Rules(MethodView):
    decorators = [login_required]

    @blp.response(200, ProgramRulesOutSchema, headers=ETAG_HEADER)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.requires(*STAFF_ONLY)
    def get(self):
        """Read the rules and weight multipliers of every pairing."""
        return answer(service.read_rules(current_user))

    @blp.doc(requestBody=BODY, parameters=[IF_MATCH])
    @blp.response(200, ProgramRulesOutSchema, headers=ETAG_HEADER)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(412, **STALE)
    @blp.alt_response(422, **INVALID)
    @blp.requires(*STAFF_ONLY)
    def put(self):
        """Replace the rules: pairings and fields not given go back to their defaults."""
        return answer(service.change_rules(current_user, request.get_json(silent=True),
                                           partial=False, if_match=if_match_versions()))

    @blp.doc(requestBody=BODY, parameters=[IF_MATCH])
    @blp.response(200, ProgramRulesOutSchema, headers=ETAG_HEADER)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(412, **STALE)
    @blp.alt_response(422, **INVALID)
    @blp.requires(*STAFF_ONLY)
    def patch(self):
        """Change some rules or weights; the others stay as they are."""
        return answer(service.change_rules(current_user, request.get_json(silent=True),
                                           partial=True, if_match=if_match_versions()))


@blp.route("/rules/preview")
class Preview(MethodView):
    decorators = [login_required]

    @blp.doc(requestBody=BODY)
    @blp.response(200, PreviewSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(422, **INVALID)
    @blp.requires(*STAFF_ONLY)
    def post(self):
        """Show how the top matches of a fixed sample change under proposed rules (PATCH
        semantics: what is not given stays as it is now); nothing is stored."""
        return rules_preview.preview(current_user, request.get_json(silent=True))
