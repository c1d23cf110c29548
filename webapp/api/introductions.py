"""``/api/v1/introductions``: double opt-in introductions, their answers, feedback and reviews."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from models import Introduction
from webapp import policy
from webapp.api.accounts import RETRY_AFTER
from webapp.api.base import Blueprint, ErrorSchema
from webapp.api.etags import ETAG_HEADER, etag
from webapp.presenters import present_introduction
from webapp.schemas.introductions import (
    DeclineSchema,
    FeedbackRequestSchema,
    IntroductionPageSchema,
    IntroductionQuerySchema,
    IntroductionRequestSchema,
    IntroductionSchema,
    NoBodySchema,
    ReviewRequestSchema,
)
from webapp.services import introduction_states as states
from webapp.services import introductions as service

blp = Blueprint("introductions", __name__, url_prefix="/api/v1/introductions",
                description="Double opt-in introductions between profiles")

NOT_FOUND = {"schema": ErrorSchema, "description": "No such introduction (or not yours)"}
CONFLICT = {"schema": ErrorSchema,
            "description": "Not possible in the introduction's state, or a rule says no"}


def present(intro: Introduction) -> dict[str, Any]:
    """Return the introduction as the current user may see it."""
    return present_introduction(current_user, intro)


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
    @blp.response(201, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many introduction requests from this account")
    @blp.auth_required
    def post(self, data):
        """Ask for an introduction of a profile (yours, or any for staff) to another."""
        intro = service.request_introduction(current_user, data)
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>")
class IntroductionItem(MethodView):
    decorators = [login_required]

    @blp.response(200, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.auth_required
    def get(self, intro_id):
        """Read one introduction; contact details show once it is accepted."""
        intro = service.get_introduction(current_user, intro_id)
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>/accept")
class Accept(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, _body, intro_id):
        """Accept a request made to you: both sides then see each other's contact details."""
        intro = states.accept(current_user, intro_id)
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>/decline")
class Decline(MethodView):
    decorators = [login_required]

    @blp.arguments(DeclineSchema)
    @blp.response(200, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, data, intro_id):
        """Decline a request made to you, saying why."""
        intro = states.decline(current_user, intro_id, data["reason_code"],
                               data["reason_text"])
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>/withdraw")
class Withdraw(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, _body, intro_id):
        """Withdraw your request before it is answered."""
        intro = states.withdraw(current_user, intro_id)
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>/complete")
class Complete(MethodView):
    decorators = [login_required]

    @blp.arguments(NoBodySchema, required=False)
    @blp.response(200, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, _body, intro_id):
        """Mark an accepted introduction completed (either party); frees the mentor's slot."""
        intro = states.complete(current_user, intro_id)
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>/feedback")
class Feedback(MethodView):
    decorators = [login_required]

    @blp.arguments(FeedbackRequestSchema)
    @blp.response(201, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def post(self, data, intro_id):
        """Rate an accepted introduction you are party to (once)."""
        intro = service.add_feedback(current_user, intro_id, data["rating"],
                                     data["comment"])
        return present(intro), etag(intro)


@blp.route("/<int:intro_id>/review")
class Review(MethodView):
    decorators = [login_required]

    @blp.arguments(ReviewRequestSchema)
    @blp.response(201, IntroductionSchema, headers=ETAG_HEADER)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.requires(policy.may_review, "staff_only_reviews")
    def post(self, data, intro_id):
        """Review an introduction as program staff (once per reviewer), optionally flagged."""
        intro = service.add_review(current_user, intro_id, data["rating"],
                                   data["comment"], data["flag"])
        return present(intro), etag(intro)
