"""A page form over its abuse limit (``webapp.ratelimits``): the page again, the form as
typed (passwords excepted), the refusal next to the field it is about — not a bare error
page. 429, with the ``Retry-After`` the limiter adds."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, render_template, request
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from flask_wtf import FlaskForm

from webapp import catalogue
from webapp.errors import handle_http_exception, wants_json
from webapp.i18n import current_locale
from webapp.ui.account import render_account
from webapp.ui.forms import (
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    SignupForm,
    TokenForm,
)
from webapp.ui.views import bp


def _page(template: str, **context) -> Callable[[FlaskForm], str]:
    return lambda form: render_template(template, form=form, **context)


# endpoint -> (the form as posted, the field the refusal is shown by, the page showing it);
# the account's forms need a signed-in user (else the limiter's refusal stands as it is)
FORMS: dict[str, tuple[Callable[[], FlaskForm], str, Callable[[FlaskForm], str], bool]] = {
    "ui.login": (LoginForm, "password", _page("login.html"), False),
    "ui.signup": (lambda: SignupForm(locale=current_locale()), "email", _page("signup.html"),
                  False),
    "ui.forgot_password": (ForgotPasswordForm, "email", _page("password_forgot.html"), False),
    "ui.reset_password": (NewPasswordForm, "new_password",
                          _page("password_reset.html", link_error=None), False),
    "ui.change_password": (PasswordChangeForm, "current_password",
                           lambda form: render_account(password_form=form), True),
    "ui.delete_account": (DeleteAccountForm, "delete_password",
                          lambda form: render_account(delete_form=form), True),
    "ui.create_token": (TokenForm, "name", lambda form: render_account(token_form=form), True),
}


@bp.errorhandler(RateLimitExceeded)
def form_over_limit(error: RateLimitExceeded):
    """Show the refused form again with the refusal by its field (the verification link's
    button: on the account page, said above it)."""
    if request.method != "POST" or wants_json():
        return handle_http_exception(error)
    refusal = catalogue.describe("too_many_requests", current_locale())
    signed_in = current_user.is_authenticated
    if request.endpoint == "ui.resend_verification" and signed_in:
        flash(refusal, "error")
        return render_account(), 429
    if request.endpoint not in FORMS:
        return handle_http_exception(error)
    make_form, field, render, needs_user = FORMS[request.endpoint]
    if needs_user and not signed_in:
        return handle_http_exception(error)
    form = make_form()
    getattr(form, field).errors = [refusal]
    return render(form), 429
