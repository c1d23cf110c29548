"""The admins' Users page: every account with its role, state and last sign-in; invite a
coordinator or an admin; deactivate an account. And the invitee's page to choose a password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import policy
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from webapp.services import staff
from webapp.ui.forms import ConfirmForm, InviteForm
from webapp.ui.helpers import problem_text
from webapp.ui.password_reset import password_through_link
from webapp.ui.views import bp


def _require_admin() -> None:
    if not policy.may_manage_users(current_user):
        abort(403)


@bp.get("/users")
@login_required
def users():
    """List every account (admins only)."""
    _require_admin()
    return render_users(InviteForm(formdata=None))


@bp.post("/users/invite")
@login_required
def invite_user():
    """Invite a coordinator or an admin by e-mail."""
    _require_admin()
    form = InviteForm()
    if form.validate_on_submit():
        try:
            staff.invite(current_user, form.email.data, form.role.data, form.locale.data)
        except (InvalidInput, Conflict) as err:
            for name, problems in err.fields.items():
                getattr(form, name, form.email).errors.extend(problem_text(p) for p in problems)
        else:
            flash(_("The invitation was sent to %(email)s.", email=form.email.data.strip()))
            return redirect(url_for("ui.users"))
    return render_users(form), 422


@bp.post("/users/<int:user_id>/deactivate")
@login_required
def deactivate_user(user_id: int):
    """Deactivate an account: no more sign-ins, sessions and API tokens end."""
    _require_admin()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        user = staff.deactivate(current_user, user_id)
    except NotFound:
        abort(404)
    except Forbidden:
        flash(_("You cannot deactivate your own account."))
        return render_users(InviteForm(formdata=None)), 403
    flash(_("%(email)s was deactivated.", email=user.email))
    return redirect(url_for("ui.users"))


def render_users(form: InviteForm) -> str:
    """Render the Users page with the invitation form given."""
    return render_template("users.html", users=staff.list_users(current_user), form=form,
                           confirm_form=ConfirmForm(formdata=None), is_invited=staff.is_invited)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Choose the password of an invited staff account; then log in with it."""
    return password_through_link(
        token, staff.invited_user, staff.accept_invitation,
        _("Your password is set. Log in with your address and this password."))
