"""Profile pages: one's own editor, staff's list and editor, and the read-only profile page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import Schema, ValidationError

from models import PROFILE_KINDS, Profile, db
from models.storable import has_nul
from webapp.api.schemas.profiles import PROFILE_SCHEMAS, QUERY_SCHEMAS
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound, record_access_denied
from webapp.i18n import current_locale
from webapp.services import profiles as service
from webapp.ui.labels import KIND_PLURALS
from webapp.ui.presenters import profile_rows
from webapp.ui.profile_forms import (
    FIELD_HINTS,
    FIELDSETS,
    form_input,
    make_form,
    merged_input,
    put_errors,
    set_choices,
)
from webapp.ui.views import bp

STAFF_PER_PAGE = 25


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def my_profile():
    """Create or edit the signed-in user's own profile."""
    if current_user.is_staff:
        return redirect(url_for("ui.profiles"))
    return editor(current_user.role, current_user.profile)


@bp.route("/profiles/new/<kind>", methods=["GET", "POST"])
@login_required
def new_profile(kind: str):
    """Let staff create a profile of any kind (owned by no account)."""
    if kind not in PROFILE_KINDS:
        abort(404)
    if not current_user.is_staff:
        abort(403)
    return editor(kind, None)


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit_profile(profile_id: int):
    """Edit a profile: its owner's, or any as staff."""
    profile = visible_profile(profile_id)
    if not service.can_manage(current_user, profile):
        abort(403)
    return editor(profile.kind, profile)


@bp.get("/profiles/<int:profile_id>")
@login_required
def profile_detail(profile_id: int):
    """Show a profile, less the fields the reader may not see (as the API does)."""
    profile = visible_profile(profile_id)
    rows = profile_rows(profile, service.hidden_fields(current_user, profile),
                        current_locale())
    return render_template("profile_detail.html", profile=profile, rows=rows,
                           can_edit=service.can_manage(current_user, profile))


@bp.get("/profiles")
@login_required
def profiles():
    """List profiles of one kind for staff, filtered and paginated."""
    if not current_user.is_staff:
        abort(403)
    kind = request.args.get("kind") if request.args.get("kind") in PROFILE_KINDS else "sme"
    filters = list_filters(QUERY_SCHEMAS[kind]())
    page_number = filters.pop("page")
    filters.pop("per_page")
    page = service.list_profiles(current_user, kind, filters, page_number, STAFF_PER_PAGE)
    pages = max(1, -(-page.total // STAFF_PER_PAGE))
    return render_template("profiles.html", kind=kind, kinds=KIND_PLURALS, page=page,
                           pages=pages, filters=filters)


def list_filters(schema: Schema) -> dict[str, Any]:
    """Return the list filters of the query string; invalid ones are dropped."""
    raw = {k: v.strip() for k, v in request.args.items()
           if k in schema.fields and v.strip() and not has_nul(v)}
    try:
        return schema.load(raw)
    except ValidationError as err:
        return schema.load({k: v for k, v in raw.items() if k not in err.messages})


def visible_profile(profile_id: int) -> Profile:
    """Return the profile if the user may see it; 404 otherwise."""
    profile = db.session.get(Profile, profile_id)
    if profile is None:
        abort(404)
    try:
        return service.get_profile(current_user, profile.kind, profile_id)
    except NotFound:
        abort(404)


def editor(kind: str, profile: Profile | None):
    """Show the profile editor and save valid input; on error nothing is saved."""
    schema = PROFILE_SCHEMAS[kind]()
    form = make_form(kind, schema, obj=profile)
    set_choices(form, current_locale())
    if form.validate_on_submit():
        saved = save(form, schema, kind, profile)
        if saved is not None:
            flash(_("Profile saved."))
            return redirect(url_for("ui.profile_detail", profile_id=saved.id))
    status = 422 if form.errors else 200
    return render_template("profile_edit.html", form=form, kind=kind, profile=profile,
                           fieldsets=FIELDSETS, hints=FIELD_HINTS), status


def save(form, schema: Schema, kind: str, profile: Profile | None) -> Profile | None:
    """Validate with the API's schema and save through the use cases; None on error."""
    if profile is None:
        submitted = form_input(form, schema)
    else:
        current = {k: v for k, v in schema.dump(profile).items() if k in schema.load_fields}
        submitted = merged_input(form, schema, current)
    try:
        data = schema.load(submitted)
        if profile is None:
            return service.create_profile(current_user, kind, data)
        return service.update_profile(current_user, profile, data)
    except ValidationError as err:
        messages = err.normalized_messages()
    except InvalidInput as err:
        messages = err.fields or {"": [err.message]}
    except (Conflict, Forbidden) as err:
        if isinstance(err, Forbidden):
            record_access_denied()
        messages = {"": [_("This account cannot create this profile: it has one already, "
                           "or it is of another kind.")]}
    db.session.rollback()
    form.form_errors.extend(put_errors(form, messages, submitted))
    return None
