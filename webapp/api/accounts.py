"""``/api/v1/auth/tokens`` (API tokens) and ``/api/v1/me`` (the caller)."""

from flask.views import MethodView
from flask_login import current_user, login_required, login_user, logout_user

from webapp.api.base import Blueprint, ErrorSchema
from webapp.auth import authenticated_by_token
from webapp.errors import NotFound
from webapp.schemas.accounts import (
    AccountDeletionSchema,
    ExportSchema,
    MeSchema,
    NewTokenSchema,
    PasswordChangeSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    TokenListSchema,
    TokenRequestSchema,
    TokenSchema,
)
from webapp.services import accounts, privacy, recovery, verification

RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer"}}}


def present_token(token) -> dict:
    """Return the token's public values (never its hash)."""
    return {name: getattr(token, name) for name in TokenSchema._declared_fields}


blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign-in and API tokens")


@blp.route("/auth/tokens")
class Tokens(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(201, NewTokenSchema)
    @blp.doc(security=[])
    @blp.alt_response(401, schema=ErrorSchema, description="Wrong e-mail address or password")
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many attempts from this address")
    def post(self, data):
        """Exchange an e-mail address and password for an API token."""
        user = accounts.authenticate(data["email"], data["password"], via="api")
        token, secret = accounts.issue_token(user, data["name"])
        return {**present_token(token), "token": secret}

    @login_required
    @blp.response(200, TokenListSchema)
    @blp.auth_required
    def get(self):
        """List your API tokens (never their secrets)."""
        return {"items": [present_token(t) for t in accounts.list_tokens(current_user)]}


@blp.route("/auth/password-reset")
class PasswordResetRequest(MethodView):
    @blp.arguments(PasswordResetRequestSchema)
    @blp.response(202, description="Whether or not the address has an account: if it has, a "
                                   "link to choose a new password was e-mailed to it")
    @blp.doc(security=[])
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many requests from this address, or for this e-mail "
                                  "address (counted alike whether or not it has an account)")
    def post(self, data):
        """Ask for a password-reset link by e-mail (the answer never tells whether the
        address has an account)."""
        recovery.request_reset(data["email"])


@blp.route("/auth/password-reset/confirm")
class PasswordReset(MethodView):
    @blp.arguments(PasswordResetSchema)
    @blp.response(204, description="Changed: every session of the account ended and all its "
                                   "API tokens were revoked")
    @blp.doc(security=[])
    @blp.alt_response(422, schema=ErrorSchema, description="The link is not valid, expired "
                      "or used (field token), or the password is refused (field new_password)")
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many requests from this address")
    def post(self, data):
        """Set a new password with the token of an e-mailed reset link."""
        recovery.reset_password(data["token"], data["new_password"])


@blp.route("/auth/tokens/<int:token_id>")
class Token(MethodView):
    @login_required
    @blp.response(204)
    @blp.alt_response(404, schema=ErrorSchema, description="No such token of yours")
    @blp.auth_required
    def delete(self, token_id):
        """Revoke one of your API tokens."""
        if not accounts.revoke_token(current_user, token_id):
            raise NotFound("token_not_found", id=token_id)


@blp.route("/me/export")
class MyData(MethodView):
    @login_required
    @blp.response(200, ExportSchema)
    @blp.auth_required
    def get(self):
        """Export everything Puente holds about you (account, profile, introductions, …)."""
        return privacy.export_user(current_user)


@blp.route("/me/password")
class MyPassword(MethodView):
    @login_required
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204, description="Changed: your other sessions ended and all your API "
                                   "tokens were revoked (the one used for this call too)")
    @blp.alt_response(422, schema=ErrorSchema, description="The current password is wrong "
                      "(field current_password), or the new one is refused (field new_password)")
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many attempts from this address")
    @blp.auth_required
    def post(self, data):
        """Change your password: every other session ends and all your API tokens are revoked.

        A browser session that makes the change stays signed in.
        """
        user = current_user._get_current_object()
        accounts.change_password(user, data["current_password"], data["new_password"])
        if not authenticated_by_token():
            login_user(user)  # this browser carries on with the new session epoch


@blp.route("/me/verification")
class MyVerification(MethodView):
    @login_required
    @blp.response(202, description="The verification link was e-mailed again (nothing is sent "
                                   "when the address is verified already)")
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many requests from this address or for your account")
    @blp.auth_required
    def post(self):
        """E-mail the link that verifies your address again."""
        verification.resend(current_user._get_current_object())


@blp.route("/me")
class Me(MethodView):
    @login_required
    @blp.response(200, MeSchema)
    @blp.auth_required
    def get(self):
        """Describe the signed-in user and their profile."""
        profile = current_user.profile
        return {"id": current_user.id, "email": current_user.email, "role": current_user.role,
                "locale": current_user.locale, "email_verified": current_user.is_verified,
                "profile_id": profile.id if profile else None,
                "profile_kind": profile.kind if profile else None}

    @login_required
    @blp.arguments(AccountDeletionSchema)
    @blp.response(204)
    @blp.alt_response(422, schema=ErrorSchema,
                      description="The password is missing or wrong (field password)")
    @blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                      description="Too many attempts from this address or on this account")
    @blp.auth_required
    def delete(self, data):
        """Delete your account, given your password: tokens and sessions end, your profile is
        anonymised."""
        privacy.delete_account(current_user._get_current_object(), data["password"])
        logout_user()
