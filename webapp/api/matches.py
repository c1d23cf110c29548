"""``/api/v1/{smes|mentors|buyers}/<id>/matches``: ranked, explained pairings."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_babel import get_locale
from flask_login import current_user, login_required
from marshmallow import RAISE

from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.profiles import COLLECTIONS
from webapp.catalogue import reason_payload
from webapp.schemas.matches import SUMMARY_FIELDS, MatchesSchema, MatchQuerySchema
from webapp.services import fair_exposure, matching
from webapp.services.profiles import get_profile

blp = Blueprint("matches", __name__, url_prefix="/api/v1",
                description="Ranked matches with their reasons")


def present(ranked: matching.RankedMatch, locale: str) -> dict:
    """Return one match for the response: a public profile summary, never contacts."""
    match = ranked.match
    return {
        "profile": {name: getattr(ranked.profile, name) for name in SUMMARY_FIELDS},
        "score": float(match.score),
        "factors": {name: float(value) for name, value in match.factors.items()},
        "contributions": {name: float(value) for name, value in match.contributions.items()},
        "reasons": [reason_payload(reason, locale) for reason in match.reasons],
    }


def _add_matches_route(kind: str) -> None:
    @blp.route(f"/{COLLECTIONS[kind]}/<int:profile_id>/matches",
               endpoint=f"{kind}_matches")
    class Matches(MethodView):
        decorators = [login_required]

        @blp.arguments(MatchQuerySchema, location="query", unknown=RAISE)
        @blp.response(200, MatchesSchema)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.auth_required
        def get(self, args, profile_id):
            """Rank the best candidates for this profile, best first, with reasons."""
            profile = get_profile(current_user, kind, profile_id)
            locale = args.pop("lang", None) or str(get_locale() or "en")
            kind_wanted, k = args.pop("kind", None), args.pop("k")
            ranked, version = matching.rank_for(current_user, profile, kind_wanted, k, **args)
            # Already the schema's shape in plain types: served without a marshmallow dump,
            # which cost a tenth of the request (the schema still documents it).
            return jsonify({"matches": [present(r, locale) for r in ranked],
                            "model_version": version,
                            "exposure_adjusted": fair_exposure.enabled() and not args["plain"]})


for _kind in COLLECTIONS:
    _add_matches_route(_kind)
