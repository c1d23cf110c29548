"""``/api/v1/introductions/<id>/messages`` and ``…/meetings``: what the two parties of an
accepted introduction say to each other, and the first meeting they agree on."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_login import current_user, login_required

from webapp.api.accounts import RETRY_AFTER
from webapp.api.base import Blueprint, ErrorSchema
from webapp.schemas.conversations import (
    MeetingListSchema,
    MeetingRequestSchema,
    MeetingSchema,
    MessageListSchema,
    MessageRequestSchema,
    MessageSchema,
    PickRequestSchema,
)
from webapp.services import conversations, meetings
from webapp.services.calendar_invites import MEDIA_TYPE

blp = Blueprint("conversations", __name__, url_prefix="/api/v1/introductions",
                description="Messages and meeting proposals of accepted introductions "
                            "(its two parties only)")

FORBIDDEN = {"schema": ErrorSchema, "description": "Not a party (staff do not read these), "
             "or your own proposal"}
NOT_FOUND = {"schema": ErrorSchema, "description": "No such introduction or proposal"}
CONFLICT = {"schema": ErrorSchema, "description": "The introduction is not accepted, or the "
            "proposal was picked already (or not yet, for the invitation)"}
INVALID = {"schema": ErrorSchema, "description": "A field is invalid (named)"}
BUDGET = {"schema": ErrorSchema, "headers": RETRY_AFTER, "description": "Too many, too fast"}


def _own(intro_id: int):
    return conversations.conversing(current_user, intro_id)[1]


@blp.route("/<int:intro_id>/messages")
class Messages(MethodView):
    decorators = [login_required]

    @blp.response(200, MessageListSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.auth_required
    def get(self, intro_id):
        """Read the thread, oldest first."""
        return {"items": conversations.list_messages(current_user, intro_id)}

    @blp.arguments(MessageRequestSchema)
    @blp.response(201, MessageSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(429, **BUDGET)
    @blp.auth_required
    def post(self, data, intro_id):
        """Write to the other party (it gets an e-mail notice, at most one per thread every
        ``PUENTE_MESSAGE_NOTICE_MINUTES``)."""
        return conversations.post_message(current_user, intro_id, data["body"])


@blp.route("/<int:intro_id>/meetings")
class Meetings(MethodView):
    decorators = [login_required]

    @blp.response(200, MeetingListSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.auth_required
    def get(self, intro_id):
        """List the meeting proposals, times shown in your profile's time zone."""
        own = _own(intro_id)
        return {"items": [meetings.present_meeting(p, own)
                          for p in meetings.list_meetings(current_user, intro_id)]}

    @blp.arguments(MeetingRequestSchema)
    @blp.response(201, MeetingSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(422, **INVALID)
    @blp.alt_response(429, **BUDGET)
    @blp.auth_required
    def post(self, data, intro_id):
        """Propose one to three future times; the other party picks one."""
        proposal = meetings.propose(current_user, intro_id, data)
        return meetings.present_meeting(proposal, _own(intro_id))


@blp.route("/<int:intro_id>/meetings/<int:meeting_id>/pick")
class Pick(MethodView):
    decorators = [login_required]

    @blp.arguments(PickRequestSchema)
    @blp.response(200, MeetingSchema)
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.alt_response(422, **INVALID)
    @blp.auth_required
    def post(self, data, intro_id, meeting_id):
        """Pick one of the other party's times: both get an .ics invitation by e-mail."""
        proposal = meetings.pick(current_user, intro_id, meeting_id, data["time"])
        return meetings.present_meeting(proposal, _own(intro_id))


@blp.route("/<int:intro_id>/meetings/<int:meeting_id>.ics")
class Invitation(MethodView):
    decorators = [login_required]

    @blp.response(200, content_type=MEDIA_TYPE,
                  description="The iCalendar invitation, in your language and time zone")
    @blp.alt_response(403, **FORBIDDEN)
    @blp.alt_response(404, **NOT_FOUND)
    @blp.alt_response(409, **CONFLICT)
    @blp.auth_required
    def get(self, intro_id, meeting_id):
        """Download the picked meeting as an iCalendar (.ics) file."""
        name, text = meetings.invitation_for(current_user, intro_id, meeting_id)
        return Response(text, mimetype=MEDIA_TYPE,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
