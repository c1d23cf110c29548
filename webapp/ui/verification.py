"""E-mail verification pages: follow the e-mailed link; ask for it again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.errors import InvalidInput
from webapp.services import verification
from webapp.ui.forms import ConfirmForm
from webapp.ui.helpers import problem_text
from webapp.ui.views import bp


@bp.get("/verify/<token>")
def verify_email(token: str):
    """Confirm the address of the link's account; then on to the profile (or the login)."""
    try:
        verification.verify(token)
    except InvalidInput as err:
        return render_template("link_refused.html",
                               error=problem_text(err.fields["token"][0])), 400
    flash(_("Thank you: your e-mail address is confirmed. Your profile can now be shown to "
            "others and you can request introductions."))
    return redirect(url_for("ui.my_profile" if current_user.is_authenticated else "ui.login"))


@bp.post("/account/verification")
@login_required
def resend_verification():
    """E-mail the verification link again (limited per address and per account)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if verification.resend(current_user._get_current_object()):
        flash(_("We have sent the link again to %(email)s.", email=current_user.email))
    return redirect(url_for("ui.account"))
