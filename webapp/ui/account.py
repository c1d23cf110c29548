"""The account page: language, API tokens, password, and the privacy rights (download my
data, delete my account)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from models import utcnow
from webapp.errors import Conflict, InvalidInput
from webapp.i18n import current_locale, remember_locale
from webapp.services import accounts, privacy
from webapp.ui.forms import (
    ConfirmForm,
    DeleteAccountForm,
    LanguageForm,
    PasswordChangeForm,
    TokenForm,
)
from webapp.ui.helpers import problem_text, refusal_text
from webapp.ui.views import bp


@bp.get("/account")
@login_required
def account():
    """Show the account: e-mail, role, language, API tokens, password and privacy rights."""
    return render_account()


@bp.post("/account/tokens")
@login_required
def create_token():
    """Create an API token and show its secret, this once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render_account(token_form=form), 422
    token, secret = accounts.issue_token(current_user, form.name.data.strip())
    return render_account(new_token=token, secret=secret), 201


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of the user's API tokens."""
    if not accounts.revoke_token(current_user, token_id):
        abort(404)
    flash(_("The token was revoked; programs using it can no longer sign in with it."))
    return redirect(url_for("ui.account"))


@bp.post("/account/password")
@login_required
def change_password():
    """Change the password; other sessions end, API tokens are revoked, this one stays."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current_password.data, form.new_password.data)
        except InvalidInput as err:
            for name, problems in err.fields.items():
                getattr(form, name).errors.extend(problem_text(p) for p in problems)
        else:
            login_user(user)  # this browser carries on with the new session epoch
            flash(_("Your password was changed. Your other sessions were signed out and your "
                    "API tokens were revoked."))
            return redirect(url_for("ui.account"))
    return render_account(password_form=form), 422


@bp.get("/account/export")
@login_required
def export_data():
    """Download everything Puente holds about the user, as the API's JSON, in a file."""
    response = jsonify(privacy.export_user(current_user._get_current_object()))
    filename = f"puente-my-data-{utcnow():%Y-%m-%d}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.post("/account/delete")
@login_required
def delete_account():
    """Delete the account once the password is given and the deletion confirmed."""
    form = DeleteAccountForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        locale = current_locale()  # the language this browser reads, kept for the visitor
        try:
            privacy.delete_account(user, form.delete_password.data)
        except InvalidInput:
            form.delete_password.errors.append(_("The password is wrong."))
        except Conflict as err:  # the only administrator
            form.delete_confirm.errors.append(refusal_text(err))
            return render_account(delete_form=form), 409
        else:
            logout_user()
            with force_locale(locale):
                flash(_("Your account was deleted, and your profile with it. Thank you for "
                        "using Puente."))
            return remember_locale(redirect(url_for("ui.home")), locale)
    return render_account(delete_form=form), 422


def render_account(token_form: TokenForm | None = None,
                   password_form: PasswordChangeForm | None = None,
                   delete_form: DeleteAccountForm | None = None,
                   new_token=None, secret: str | None = None) -> str:
    """Render the account page; forms not given are shown empty."""
    # the language this browser reads (its cookie): another worker may still hold the
    # preference from before a switch (webapp.i18n.request_language)
    language_form = LanguageForm(formdata=None, lang=current_locale(),
                                 next=url_for("ui.account"))
    return render_template(
        "account.html", language_form=language_form, confirm_form=ConfirmForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        password_form=password_form or PasswordChangeForm(formdata=None),
        delete_form=delete_form or DeleteAccountForm(formdata=None),
        tokens=accounts.list_tokens(current_user), new_token=new_token, secret=secret)
