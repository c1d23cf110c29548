"""``/api/v1/{smes|mentors|buyers}/<id>/matches``: ranked, explained pairings."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.profiles import COLLECTIONS
from webapp.catalogue import reason_payload
from webapp.errors import Problem, invalid_fields
from webapp.i18n import current_locale
from webapp.schemas.introductions import NoBodySchema
from webapp.schemas.matches import (
    MAX_DEPTH,
    SUMMARY_FIELDS,
    MatchesSchema,
    MatchMarkSchema,
    MatchQuerySchema,
    SavedMatchesSchema,
    SavedQuerySchema,
)
from webapp.services import fair_exposure, match_marks, matching
from webapp.services.match_cards import CardState, OwnerCards, profile_with_cards
from webapp.services.profiles import get_profile, visible_profile

blp = Blueprint("matches", __name__, url_prefix="/api/v1",
                description="Ranked matches with their reasons")


def present(ranked: matching.RankedMatch, locale: str, card: CardState | None = None) -> dict:
    """Return one match for the response: a public profile summary, never contacts."""
    match = ranked.match
    intro = card.introduction if card else None
    return {
        "profile": {name: getattr(ranked.profile, name) for name in SUMMARY_FIELDS},
        "score": float(match.score),
        "factors": {name: float(value) for name, value in match.factors.items()},
        "contributions": {name: float(value) for name, value in match.contributions.items()},
        "reasons": [reason_payload(reason, locale) for reason in match.reasons],
        "saved": bool(card and card.mark == match_marks.SAVED),
        "introduction": intro and {"id": intro.id, "state": intro.state,
                                   "requested_by_you": intro.requested_by_owner},
    }


def present_page(ranked: list[matching.RankedMatch], locale: str,
                 cards: OwnerCards) -> list[dict]:
    """Return a page of matches, each with its mark and introduction (``cards``: the
    owner's, read with its profile)."""
    states = cards.states([r.profile.id for r in ranked])
    return [present(r, locale, states[r.profile.id]) for r in ranked]


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
            user = current_user._get_current_object()  # read often below: not via the proxy
            # The profile with its owner's marks and introductions: one round trip.
            found, cards = profile_with_cards(profile_id, user)
            profile = visible_profile(user, kind, profile_id, found)
            locale = args.pop("lang", None) or current_locale()
            kind_wanted, k = args.pop("kind", None), args.pop("k")
            per_page, page = args.pop("per_page", k), args.pop("page")
            if page * per_page > MAX_DEPTH:
                raise invalid_fields({"page": Problem("out_of_range", min=1,
                                                      max=MAX_DEPTH // per_page)})
            # A next page past the depth limit would be refused: none is promised (nor ranked).
            next_answers = (page + 1) * per_page <= MAX_DEPTH
            ranked, more, version = matching.rank_page_for(
                user, profile, kind_wanted, per_page, offset=(page - 1) * per_page,
                marks=cards.marks, seen=cards.seen, lookahead=int(next_answers), **args)
            # Already the schema's shape in plain types: served without a marshmallow dump,
            # which cost a tenth of the request (the schema still documents it).
            return jsonify({"matches": present_page(ranked, locale, cards),
                            "model_version": version, "page": page, "per_page": per_page,
                            "has_more": more,
                            "exposure_adjusted": fair_exposure.adjusted(args["plain"])})

    @blp.route(f"/{COLLECTIONS[kind]}/<int:profile_id>/matches/saved",
               endpoint=f"{kind}_saved_matches")
    class SavedMatches(MethodView):
        decorators = [login_required]

        @blp.arguments(SavedQuerySchema, location="query", unknown=RAISE)
        @blp.response(200, SavedMatchesSchema)
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile")
        @blp.auth_required
        def get(self, args, profile_id):
            """List the matches this profile saved, most recently saved first, explained."""
            found, cards = profile_with_cards(profile_id, current_user)
            profile = visible_profile(current_user, kind, profile_id, found)
            locale = args.get("lang") or current_locale()
            page, per_page = args["page"], args["per_page"]
            saved, more = match_marks.saved_page(current_user, profile.id, page, per_page)
            ranked = matching.explain_for(current_user, profile, saved)
            return {"matches": present_page(ranked, locale, cards), "page": page,
                    "per_page": per_page, "has_more": more}

    for mark in (match_marks.SAVED, match_marks.HIDDEN):
        _add_mark_route(kind, mark)


MARK_DOCS = {
    "save": ("Save the candidate for later (a hidden one is unhidden)", "Unsave the candidate"),
    "hide": ("Hide the candidate from this profile's matches for good (the model learns it as "
             "a poor match)", "Unhide the candidate: it may be ranked again"),
}


def _add_mark_route(kind: str, mark: str) -> None:
    verb = "save" if mark == match_marks.SAVED else "hide"

    @blp.route(f"/{COLLECTIONS[kind]}/<int:profile_id>/matches/<int:candidate_id>/{verb}",
               endpoint=f"{kind}_match_{verb}")
    class Mark(MethodView):
        decorators = [login_required]

        @blp.doc(summary=MARK_DOCS[verb][0])
        @blp.arguments(NoBodySchema, required=False)
        @blp.response(200, MatchMarkSchema)
        @blp.alt_response(403, schema=ErrorSchema, description="Not your profile")
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile or candidate")
        @blp.auth_required
        def post(self, _body, profile_id, candidate_id):
            row = match_marks.set_mark(current_user, get_profile(current_user, kind, profile_id),
                                       candidate_id, mark)
            return {"candidate_id": row.candidate_id, "mark": row.mark, "at": row.at}

        @blp.doc(summary=MARK_DOCS[verb][1])
        @blp.response(204)
        @blp.alt_response(403, schema=ErrorSchema, description="Not your profile")
        @blp.alt_response(404, schema=ErrorSchema, description="No such profile or candidate")
        @blp.auth_required
        def delete(self, profile_id, candidate_id):
            match_marks.clear_mark(current_user, get_profile(current_user, kind, profile_id),
                                   candidate_id, mark)



for _kind in COLLECTIONS:
    _add_matches_route(_kind)
