"""Forgot password: ask for a link by e-mail, then choose a new password through it."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from webapp.errors import InvalidInput
from webapp.services import recovery
from webapp.ui.forms import ForgotPasswordForm, NewPasswordForm
from webapp.ui.helpers import problem_text
from webapp.ui.views import bp


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        recovery.request_reset(form.email.data)
        flash(_("If an account has this address, we have sent it a link to choose a new "
                "password. The link works once and for a short time."))
        return redirect(url_for("ui.login"))
    return render_template("password_forgot.html", form=form), 422 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through an e-mailed link; then log in with it."""
    # whoever was signed in here: every session of the account ended
    return password_through_link(
        token, recovery.user_for_reset, recovery.reset_password,
        _("Your password was changed. Every session was signed out and your API tokens were "
          "revoked; log in with the new password."))


def password_through_link(token: str, check: Callable[[str], object],
                          set_password: Callable[[str, str], object], done: str):
    """Show the new-password form of an e-mailed link (a reset, an invitation): ``check``
    refuses a bad link, ``set_password`` sets it; link refusals show above the form, password
    ones next to the field; on success, sign out, say ``done`` and go to the login page."""
    form = NewPasswordForm()
    link_error = None
    try:
        check(token)
    except InvalidInput as err:
        link_error = problem_text(err.fields["token"][0])
    if link_error is None and form.validate_on_submit():
        try:
            set_password(token, form.new_password.data)
        except InvalidInput as err:
            for name, problems in err.fields.items():
                if name == "token":
                    link_error = problem_text(problems[0])
                else:
                    getattr(form, name).errors.extend(problem_text(p) for p in problems)
        else:
            logout_user()
            flash(done)
            return redirect(url_for("ui.login"))
    status = 400 if link_error else 422 if form.errors else 200
    return render_template("password_reset.html", form=form, link_error=link_error), status
