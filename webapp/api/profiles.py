"""``/api/v1/smes``, ``/mentors``, ``/buyers``: one collection and one item view per kind."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import jsonify, request
from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from models import Profile
from webapp import policy
from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.etags import ETAG_HEADER, IF_MATCH, STALE, etag, if_match_versions
from webapp.presenters import present_profile
from webapp.schemas.plain_dump import plain_dumper
from webapp.schemas.profiles import (
    PATCH_SCHEMAS,
    PROFILE_SCHEMAS,
    QUERY_SCHEMAS,
    page_schema,
)
from webapp.services import profiles as service

COLLECTIONS = {"sme": "smes", "mentor": "mentors", "buyer": "buyers"}
TOTAL = ("How many profiles match the filters, as of the newest profile write (one committed "
         "out of order counts within PUENTE_LIST_TOTAL_TTL_MS, 5 s by default)")


def present(profile: Profile, schema_cls, reader=None) -> dict[str, Any]:
    """Return the profile's values for the response schema, less those the user must not see
    (``reader``: the user itself, when presenting many, rather than the per-access proxy)."""
    return present_profile(reader or current_user, profile, schema_cls._declared_fields)


NEXT_HEADER = {"Link": {"description": 'On a full page: the next page (rel="next"), the same '
                                      "filters after this page's last id",
                         "schema": {"type": "string"}}}


def next_link(last_id: int, per_page: int) -> str:
    """Return the ``Link`` header of the next page: the same filters, after ``last_id``."""
    kept = [(name, value) for name, values in request.args.lists()
            if name not in ("page", "after", "per_page") for value in values]
    query = urlencode([*kept, ("after", last_id), ("per_page", per_page)])
    return f'<{request.path}?{query}>; rel="next"'


def as_input(schema_cls, changes: dict[str, Any]) -> dict[str, Any]:
    """Return validated partial changes as input values again, for the merge in the use case."""
    return {k: v for k, v in schema_cls().dump(changes).items() if k in changes}


def make_blueprint(kind: str) -> Blueprint:
    """Build the blueprint serving one kind of profile."""
    name = COLLECTIONS[kind]
    schema_cls, query_cls = PROFILE_SCHEMAS[kind], QUERY_SCHEMAS[kind]
    dump_item = plain_dumper(schema_cls())
    blp = Blueprint(name, __name__, url_prefix=f"/api/v1/{name}",
                    description=f"{kind.upper() if kind == 'sme' else kind.title()} profiles")

    @blp.route("")
    class Collection(MethodView):
        decorators = [login_required]

        @blp.arguments(query_cls, location="query", unknown=RAISE)
        @blp.response(200, page_schema(schema_cls, TOTAL), headers=NEXT_HEADER)
        @blp.auth_required
        def get(self, args):
            """List profiles, filtered and paginated."""
            page, per_page = args.pop("page"), args.pop("per_page")
            result = service.list_profiles(current_user, kind, args, page, per_page,
                                           after=args.pop("after", None),
                                           shown=schema_cls._declared_fields)
            # Dumped item by item as the schema would (webapp.schemas.plain_dump), not by
            # marshmallow, which cost a sixth of the request; the page schema documents it.
            reader = current_user._get_current_object()
            body = jsonify({"items": [dump_item(present(p, schema_cls, reader))
                                      for p in result.items],
                            "page": page, "per_page": per_page, "total": result.total})
            if len(result.items) < per_page:
                return body
            return body, {"Link": next_link(result.items[-1].id, per_page)}

        @blp.arguments(schema_cls)
        @blp.response(201, schema_cls, headers=ETAG_HEADER)
        @blp.alt_response(409, schema=ErrorSchema, description="Already has a profile")
        @blp.requires(lambda user: policy.may_create_profile_of(user, kind),
                      "profile_kind_forbidden", lambda user: {"role": user.role, "kind": kind})
        def post(self, data):
            """Create a profile (your own, or any as coordinator or admin)."""
            profile = service.create_profile(current_user, kind, data)
            return present(profile, schema_cls), etag(profile)

    @blp.route("/<int:profile_id>")
    class Item(MethodView):
        decorators = [login_required]

        @blp.response(200, schema_cls, headers=ETAG_HEADER)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.auth_required
        def get(self, profile_id):
            """Read one profile."""
            profile = service.get_profile(current_user, kind, profile_id)
            return present(profile, schema_cls), etag(profile)

        @blp.arguments(PATCH_SCHEMAS[kind](partial=True))
        @blp.response(200, schema_cls, headers=ETAG_HEADER)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.alt_response(409, schema=ErrorSchema, description="Changed by another request "
                          "at the same moment; read it again and retry")
        @blp.alt_response(412, **STALE)
        @blp.doc(parameters=[IF_MATCH])
        @blp.auth_required
        def patch(self, changes, profile_id):
            """Change some fields of a profile (at least one).

            The stored profile with the changes must be valid as a whole. With ``If-Match``,
            the change applies only if the profile is still at that version (ETag).
            """
            profile = service.update_profile(
                current_user, kind, profile_id, as_input(schema_cls, changes), schema_cls(),
                if_match=if_match_versions())
            return present(profile, schema_cls), etag(profile)

        @blp.response(204)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.alt_response(409, schema=ErrorSchema, description="Changed by another request "
                          "at the same moment; read it again and retry")
        @blp.alt_response(412, **STALE)
        @blp.doc(parameters=[IF_MATCH])
        @blp.auth_required
        def delete(self, profile_id):
            """Delete a profile (with ``If-Match``: only if still at that version)."""
            service.delete_profile(current_user, kind, profile_id,
                                   if_match=if_match_versions())

    return blp


blueprints = [make_blueprint(kind) for kind in COLLECTIONS]
