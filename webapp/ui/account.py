"""The account page: language preference and API tokens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.services import accounts
from webapp.ui.forms import ConfirmForm, LanguageForm, TokenForm
from webapp.ui.views import bp


@bp.get("/account")
@login_required
def account():
    """Show the account: e-mail, role, language and API tokens."""
    return render_account(TokenForm())


@bp.post("/account/tokens")
@login_required
def create_token():
    """Create an API token and show its secret, this once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render_account(form), 422
    token, secret = accounts.issue_token(current_user, form.name.data.strip())
    return render_account(TokenForm(formdata=None), new_token=token, secret=secret), 201


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's API tokens."""
    if not accounts.revoke_token(current_user, token_id):
        abort(404)
    flash(_("The token was revoked; programs using it can no longer sign in with it."))
    return redirect(url_for("ui.account"))


def render_account(token_form: TokenForm, new_token=None, secret: str | None = None) -> str:
    """Render the account page."""
    language_form = LanguageForm(formdata=None, lang=current_user.locale,
                                 next=url_for("ui.account"))
    return render_template("account.html", token_form=token_form, language_form=language_form,
                           confirm_form=ConfirmForm(formdata=None),
                           tokens=accounts.list_tokens(current_user), new_token=new_token,
                           secret=secret)
