"""``/api/v1/audit``: the audit log, for admins."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import RAISE

from webapp import policy
from webapp.api.base import Blueprint
from webapp.schemas.audit import AuditPageSchema, AuditQuerySchema
from webapp.services.audit_log import list_entries

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="Who did what to which object, and every refusal (admins)")


@blp.route("")
class AuditLog(MethodView):
    decorators = [login_required]

    @blp.arguments(AuditQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, AuditPageSchema)
    @blp.requires(policy.may_read_audit_log, "admin_only_audit")
    def get(self, args):
        """List audit entries, newest first: sign-ins, changes, refusals; filtered."""
        page, per_page = args.pop("page"), args.pop("per_page")
        items, total = list_entries(current_user, args, page, per_page)
        return {"items": items, "page": page, "per_page": per_page, "total": total}
