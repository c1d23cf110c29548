"""``/api/v1/smes``, ``/mentors``, ``/buyers``: one collection and one item view per kind."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE, ValidationError

from models import Profile
from webapp.api.base import Blueprint, ErrorSchema
from webapp.errors import InvalidInput
from webapp.presenters import present_profile
from webapp.schemas.profiles import (
    PATCH_SCHEMAS,
    PROFILE_SCHEMAS,
    QUERY_SCHEMAS,
    page_schema,
)
from webapp.services import profiles as service

COLLECTIONS = {"sme": "smes", "mentor": "mentors", "buyer": "buyers"}
LOCATION_FIELDS = {"country", "subdivision", "city"}


def present(profile: Profile, schema_cls) -> dict[str, Any]:
    """Return the profile's values for the response schema, less those the user must not see."""
    return present_profile(current_user, profile, schema_cls._declared_fields)


def merged_input(schema_cls, profile: Profile, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate the profile as it will be after a partial update."""
    schema = schema_cls()
    current = {k: v for k, v in schema.dump(profile).items() if k in schema.load_fields}
    if LOCATION_FIELDS & changes.keys() and "latitude" not in changes:
        current["latitude"] = current["longitude"] = None  # resolve again from the new city
    patch = {k: v for k, v in schema.dump(changes).items() if k in changes}
    try:
        return schema.load({**current, **patch})
    except ValidationError as err:
        raise InvalidInput("The profile would be invalid.", err.normalized_messages()) from err


def make_blueprint(kind: str) -> Blueprint:
    """Build the blueprint serving one kind of profile."""
    name = COLLECTIONS[kind]
    schema_cls, query_cls = PROFILE_SCHEMAS[kind], QUERY_SCHEMAS[kind]
    blp = Blueprint(name, __name__, url_prefix=f"/api/v1/{name}",
                    description=f"{kind.upper() if kind == 'sme' else kind.title()} profiles")

    @blp.route("")
    class Collection(MethodView):
        decorators = [login_required]

        @blp.arguments(query_cls, location="query", unknown=RAISE)
        @blp.response(200, page_schema(schema_cls))
        @blp.auth_required
        def get(self, args):
            """List profiles, filtered and paginated."""
            page, per_page = args.pop("page"), args.pop("per_page")
            result = service.list_profiles(current_user, kind, args, page, per_page)
            return {"items": [present(p, schema_cls) for p in result.items], "page": page,
                    "per_page": per_page, "total": result.total}

        @blp.arguments(schema_cls)
        @blp.response(201, schema_cls)
        @blp.alt_response(409, schema=ErrorSchema, description="Already has a profile")
        @blp.auth_required
        def post(self, data):
            """Create a profile (your own, or any as coordinator or admin)."""
            return present(service.create_profile(current_user, kind, data), schema_cls)

    @blp.route("/<int:profile_id>")
    class Item(MethodView):
        decorators = [login_required]

        @blp.response(200, schema_cls)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.auth_required
        def get(self, profile_id):
            """Read one profile."""
            return present(service.get_profile(current_user, kind, profile_id), schema_cls)

        @blp.arguments(PATCH_SCHEMAS[kind](partial=True))
        @blp.response(200, schema_cls)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.auth_required
        def patch(self, changes, profile_id):
            """Change some fields of a profile."""
            profile = service.get_profile(current_user, kind, profile_id)
            service.update_profile(current_user, profile,
                                   merged_input(schema_cls, profile, changes))
            return present(profile, schema_cls)

        @blp.response(204)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.auth_required
        def delete(self, profile_id):
            """Delete a profile."""
            service.delete_profile(current_user, service.get_profile(current_user, kind,
                                                                      profile_id))

    return blp


blueprints = [make_blueprint(kind) for kind in COLLECTIONS]
