"""``/api/v1/notifications``: the caller's in-app notices, worded in its language."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from models import Notice
from webapp.api.base import Blueprint
from webapp.catalogue.notices import render_notice
from webapp.i18n import current_locale
from webapp.schemas.notices import MarkedSchema, MarkReadSchema, NoticePageSchema, NoticeQuerySchema
from webapp.services import inbox

blp = Blueprint("notifications", __name__, url_prefix="/api/v1/notifications",
                description="Your notifications: new requests, answers, messages, steps to "
                            "confirm")


def present_notice(notice: Notice) -> dict[str, Any]:
    """Return a notice with its message in the caller's language."""
    return {"id": notice.id, "kind": notice.kind, "params": notice.params,
            "message": render_notice(notice.kind, inbox.notice_params(notice),
                                     current_locale()),
            "introduction_id": notice.introduction_id, "created_at": notice.created_at,
            "read_at": notice.read_at}


@blp.route("")
class Notifications(MethodView):
    decorators = [login_required]

    @blp.arguments(NoticeQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, NoticePageSchema)
    @blp.auth_required
    def get(self, args):
        """List your notifications, newest first, with how many are unread."""
        page = inbox.list_notices(current_user, args["page"], args["per_page"], args["unread"])
        return {"items": [present_notice(n) for n in page.items], "page": page.page,
                "per_page": page.per_page, "total": page.total,
                "unread": inbox.unread_count(current_user)}


@blp.route("/read")
class NotificationsRead(MethodView):
    decorators = [login_required]

    @blp.arguments(MarkReadSchema, required=False)
    @blp.response(200, MarkedSchema)
    @blp.auth_required
    def post(self, args):
        """Mark notifications read: those listed in ``ids`` (yours only), or all of them
        (no body, or no ``ids``)."""
        marked = inbox.mark_read(current_user, args.get("ids"))
        return {"marked": marked, "unread": inbox.unread_count(current_user)}
