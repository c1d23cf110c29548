"""``/api/v1/introductions``: double opt-in introductions, their answers, feedback and reviews."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import get_locale
from flask_login import current_user, login_required
from marshmallow import RAISE

from matcher.errors import MatcherError
from matcher.reasons import Reason, for_target, reason_payload
from models import Introduction, Profile
from webapp.api.accounts import RETRY_AFTER
from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.schemas.introductions import (
    DeclineSchema,
    FeedbackRequestSchema,
    IntroductionPageSchema,
    IntroductionQuerySchema,
    IntroductionRequestSchema,
    IntroductionSchema,
    NoBodySchema,
    PartySchema,
    ReviewRequestSchema,
)
from webapp.services import introduction_states as states
from webapp.services import introductions as service

blp = Blueprint("introductions", __name__, url_prefix="/api/v1/introductions",
                description="Double opt-in introductions between profiles")

PUBLIC_PARTY_FIELDS = ("id", "kind", "name", "country", "subdivision", "city")
CONTACT_FIELDS = tuple(f for f in PartySchema._declared_fields if f not in PUBLIC_PARTY_FIELDS)
NOT_FOUND = {"schema": ErrorSchema, "description": "No such introduction (or not yours)"}
CONFLICT = {"schema": ErrorSchema,
            "description": "Not possible in the introduction's state, or a rule says no"}


def present(intro: Introduction) -> dict[str, Any]:
    """Return the introduction as the current user may see it."""
    user = current_user
    reveal = service.contacts_visible(user, intro)
    values = {name: getattr(intro, name) for name in (
        "id", "kind", "state", "message", "created_at", "updated_at", "responded_at",
        "closed_at", "decline_reason_code", "decline_reason_text")}
    return {
        **values,
        "requester": _party(intro.requester, reveal), "target": _party(intro.target, reveal),
        "expires_at": service.expires_at(intro),
        "match": _match(intro, user, str(get_locale() or "en")),
        "feedback": [_fields(f, ("profile_id", "rating", "comment", "created_at"))
                     for f in service.visible_feedback(user, intro)],
        "reviews": [_fields(r, ("reviewer_id", "rating", "comment", "flag", "created_at"))
                    for r in intro.reviews] if user.is_staff else [],
    }


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _party(profile: Profile, reveal: bool) -> dict[str, Any]:
    return _fields(profile, PUBLIC_PARTY_FIELDS + (CONTACT_FIELDS if reveal else ()))


def _match(intro: Introduction, user, locale: str) -> dict[str, Any] | None:
    """Return the match snapshot with its reasons worded for the reader: the requester (as
    they were computed), the target (each reason's counterpart) or staff (third person)."""
    snapshot = intro.match_snapshot
    if not snapshot:
        return None
    staff_about = intro.requester.kind if user.is_staff else None
    mirror = staff_about is None and service.acts_for(user, intro.target)
    return {**snapshot, "reasons": [_reason(r, locale, mirror, staff_about)
                                    for r in snapshot.get("reasons", [])]}


def _reason(stored: dict, locale: str, mirror: bool, staff_about: str | None) -> dict[str, Any]:
    try:
        reason = Reason(stored["code"], stored.get("params") or {})
        return reason_payload(for_target(reason) if mirror else reason, locale,
                              staff_about=staff_about)
    except (KeyError, MatcherError):  # a reason of an older model version: show it unworded
        return stored


@blp.route("")
class Introductions(MethodView):
    decorators = [login_required]

    @blp.arguments(IntroductionQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, IntroductionPageSchema)
    @blp.auth_required
    def get(self, args):
        """List your introductions (all of them for staff), newest first, filtered."""
        page, per_page = args.pop("page"), args.pop("per_page")
        result = service.list_introductions(current_user, args, page, per_page)
        return {"items": [present(i) for i in result.items], "page": page,
                "per_page": per_page, "total": result.total}

    @blp.arguments(IntroductionRequestSchema)
    @blp.response(201, IntroductionSchema)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many introduction requests from this account")
    @blp.auth_required
    def post(self, data):
        """Ask for an introduction of a profile (yours, or any for staff) to another."""
        return present(service.request_introduction(current_user, data))


@blp.route("/<int:intro_id>")
class IntroductionItem(MethodView):
    decorators = [login_required]

    @blp.response(200, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.auth_required
    def get(self, intro_id):
        """Read one introduction; contact details show once it is accepted."""
        return present(service.get_introduction(current_user, intro_id))


@blp.route("/<int:intro_id>/accept")
class Accept(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, _body, intro_id):
        """Accept a request made to you: both sides then see each other's contact details."""
        return present(states.accept(current_user, intro_id))


@blp.route("/<int:intro_id>/decline")
class Decline(MethodView):
    decorators = [login_required]

    @blp.arguments(DeclineSchema)
    @blp.response(200, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, data, intro_id):
        """Decline a request made to you, saying why."""
        return present(states.decline(current_user, intro_id, data["reason_code"],
                                       data["reason_text"]))


@blp.route("/<int:intro_id>/withdraw")
class Withdraw(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, _body, intro_id):
        """Withdraw your request before it is answered."""
        return present(states.withdraw(current_user, intro_id))


@blp.route("/<int:intro_id>/complete")
class Complete(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, _body, intro_id):
        """Mark an accepted introduction completed (either party); frees the mentor's slot."""
        return present(states.complete(current_user, intro_id))


@blp.route("/<int:intro_id>/feedback")
class Feedback(MethodView):
    decorators = [login_required]

    @blp.arguments(FeedbackRequestSchema)
    @blp.response(201, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, data, intro_id):
        """Rate an accepted introduction you are party to (once)."""
        return present(service.add_feedback(current_user, intro_id, data["rating"],
                                            data["comment"]))


@blp.route("/<int:intro_id>/review")
class Review(MethodView):
    decorators = [login_required]

    @blp.arguments(ReviewRequestSchema)
    @blp.response(201, IntroductionSchema)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, data, intro_id):
        """Review an introduction as program staff (once per reviewer), optionally flagged."""
        return present(service.add_review(current_user, intro_id, data["rating"],
                                          data["comment"], data["flag"]))
