"""Sign up, log in, log out and the language switcher (the home is in ``homes``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.errors import InvalidInput, NotAuthenticated
from webapp.i18n import current_locale, remember_locale
from webapp.services import accounts
from webapp.ui.forms import LanguageForm, LoginForm, SignupForm
from webapp.ui.helpers import problem_text

bp = Blueprint("ui", __name__)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create an SME, mentor or buyer account; then the visitor logs in with it.

    A registered address is answered exactly as a new one (its owner is e-mailed instead), so
    the page tells no one which addresses have an account; for the same reason it signs no
    one in.
    """
    if current_user.is_authenticated:
        return redirect(url_for("ui.home"))
    form = SignupForm(locale=current_locale())
    if form.validate_on_submit():
        try:
            accounts.sign_up(form.email.data, form.password.data, form.role.data,
                             locale=form.locale.data)
        except InvalidInput as err:  # e.g. the password policy: show each rule by its field
            for name, messages in err.fields.items():
                field = getattr(form, name, form.email)
                field.errors.extend(problem_text(p) for p in messages)
        else:
            with force_locale(form.locale.data):
                flash(_("Thank you. We have sent a message to the address you gave. Log in "
                        "with it and your password to continue."))
            target = url_for("ui.login", next=url_for("ui.my_profile"))
            return remember_locale(redirect(target), form.locale.data)
    return render_template("signup.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except NotAuthenticated:
            form.password.errors.append(_("Wrong e-mail address or password."))
        else:
            login_user(user)
            target = safe_next(request.args.get("next")) or url_for("ui.home")
            return remember_locale(redirect(target), user.locale)
    status = 422 if form.errors else 200
    return render_template("login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign the user out; the pages stay in the user's language."""
    locale = current_locale()  # this browser's language (its cookie: current on any worker)
    accounts.log_out(current_user._get_current_object())  # a copied cookie dies too
    logout_user()
    with force_locale(locale):
        flash(_("You are signed out."))
    return remember_locale(redirect(url_for("ui.home")), locale)


@bp.post("/language")
def set_language():
    """Switch the language: the user's preference when signed in, a cookie in any case."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        accounts.set_locale(current_user, form.lang.data)
    target = safe_next(form.next.data) or url_for("ui.home")
    return remember_locale(redirect(target), form.lang.data)


def safe_next(target: str | None) -> str | None:
    """Return a same-site path to go to next, or None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
