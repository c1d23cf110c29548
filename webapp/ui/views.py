"""Home, log in and log out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from webapp.errors import NotAuthenticated
from webapp.services import accounts
from webapp.ui.forms import LoginForm

bp = Blueprint("ui", __name__)


@bp.get("/")
def home():
    """Explain the service."""
    return render_template("home.html")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except NotAuthenticated as err:
            form.password.errors.append(err.message)
        else:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("ui.home"))
    status = 422 if form.errors else 200
    return render_template("login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Sign the user out."""
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("ui.home"))


def _safe_next(target: str | None) -> str | None:
    """Return a same-site path to go to after login, or None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    return target
