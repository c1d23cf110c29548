"""Profile pages: one's own editor, staff's list and editor, and the read-only profile page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import Schema, ValidationError

from models import PROFILE_KINDS, Profile, db, fields_of
from models.storable import has_unstorable
from webapp import policy
from webapp.catalogue.notices import render_hint
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    Problem,
    problems_of,
    record_access_denied,
)
from webapp.i18n import current_locale
from webapp.presenters import present_profile
from webapp.schemas.profiles import PROFILE_SCHEMAS, QUERY_SCHEMAS
from webapp.services import profiles as service
from webapp.services.completeness import profile_hints
from webapp.ui.forms import NOT_TEXT
from webapp.ui.helpers import problem_text, refusal_text, repeated_refusal
from webapp.ui.labels import KIND_PLURALS
from webapp.ui.presenters import profile_rows, readable
from webapp.ui.profile_forms import (
    FIELD_HINTS,
    FIELDSETS,
    form_input,
    make_form,
    put_errors,
    set_choices,
)
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp

STAFF_PER_PAGE = 25
LIST_FILTERS = sorted({name for schema in QUERY_SCHEMAS.values() for name in schema().fields})
CHANGED_MEANWHILE = _l("Nothing was saved: someone changed this profile while you were editing "
                       "it. Open it again to see their changes, or save again to replace them "
                       "with yours.")
CANNOT_CREATE = _l("This account cannot create this profile: it has one already, or it is of "
                   "another kind.")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def my_profile():
    """Create or edit the signed-in user's own profile."""
    if not policy.has_own_profile(current_user):
        return redirect(url_for("ui.profiles"))
    return editor(current_user.role, current_user.profile)


@bp.route("/profiles/new/<kind>", methods=["GET", "POST"])
@login_required
def new_profile(kind: str):
    """Let staff create a profile of any kind (owned by no account)."""
    if kind not in PROFILE_KINDS:
        abort(404)
    if not policy.is_staff(current_user):  # staff create unowned profiles
        abort(403)
    return editor(kind, None)


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@login_required
def edit_profile(profile_id: int):
    """Edit a profile: its owner's, or any as staff."""
    profile = visible_profile(profile_id)
    if not policy.can_manage(current_user, profile):
        abort(403)
    return editor(profile.kind, profile)


@bp.get("/profiles/<int:profile_id>")
@login_required
def profile_detail(profile_id: int):
    """Show a profile, less the fields the reader may not see (as the API does)."""
    profile = visible_profile(profile_id)
    shown = present_profile(current_user, profile, fields_of(profile.kind))
    rows = profile_rows(profile, shown, current_locale())
    return render_template("profile_detail.html", profile=profile, rows=rows,
                           can_edit=policy.can_manage(current_user, profile))


@bp.get("/profiles")
@reads_args("kind", *LIST_FILTERS)
@login_required
def profiles():
    """List profiles of one kind for staff, filtered and paginated."""
    if not policy.may_see_program(current_user):
        abort(403)
    asked = request.args.get("kind", "").strip()
    repeated = repeated_refusal("kind")
    kind = asked if asked in PROFILE_KINDS and repeated is None else "sme"
    filters, refused = list_filters(QUERY_SCHEMAS[kind]())
    if repeated is not None:  # refused like any filter: said, and the SMEs shown
        refused["kind"] = [repeated]
    elif asked and asked != kind:
        refused["kind"] = [problem_text(Problem("not_one_of"))]
    page_number = filters.pop("page")
    filters.pop("per_page")
    page = service.list_profiles(current_user, kind, filters, page_number, STAFF_PER_PAGE)
    pages = max(1, -(-page.total // STAFF_PER_PAGE))
    locale = current_locale()
    sectors = {p.id: readable("sectors", p.sectors, locale) for p in page.items}
    # A refused filter is dropped and said next to its field (others above the form): 422.
    return render_template("profiles.html", kind=kind, kinds=KIND_PLURALS, page=page,
                           pages=pages, filters=filters, sectors=sectors,
                           refused=refused), 422 if refused else 200


def list_filters(schema: Schema) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Return the list filters of the query string, and the reader's-language messages of
    each refused one (dropped from the filters)."""
    refused = {k: [str(NOT_TEXT)] for k, v in request.args.items()
               if k in schema.fields and has_unstorable(v)}
    refused |= {k: [repeated] for k in request.args
                if k in schema.fields and (repeated := repeated_refusal(k)) is not None}
    raw = {k: v.strip() for k, v in request.args.items()
           if k in schema.fields and v.strip() and k not in refused}
    # Checks across fields (a subdivision of the country) run only once every field is read,
    # so dropping what one attempt refused may let the next refuse more.
    while True:
        try:
            return schema.load(raw), refused
        except ValidationError as err:
            if not raw:
                raise  # refused without a filter: the schema itself is wrong
            problems = problems_of(err.normalized_messages())
            for name in problems.keys() & raw.keys():
                refused[name] = [problem_text(p) for p in problems[name]]
            raw = {k: v for k, v in raw.items() if k not in problems} if (
                problems.keys() & raw.keys()) else {}


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
    """Show the profile editor and save valid input; on error nothing is saved.

    The form carries the version of the profile it was filled from; a profile changed by
    someone else meanwhile is not overwritten: the editor says so and offers the current
    version to save over.
    """
    schema = PROFILE_SCHEMAS[kind]()
    hidden = policy.uneditable_fields(current_user, profile) if profile is not None else ()
    form = make_form(kind, schema, hidden, obj=profile)
    set_choices(form, current_locale())
    mark_required(form, schema)
    version = profile.version if profile is not None else None
    if form.validate_on_submit():
        version = request.form.get("version", type=int)
        if version is None and "version" in request.form and profile is not None:
            version = 0  # a version that is no number was filled from no version: stale
        try:
            saved = save(form, schema, kind, profile, version)
        except PreconditionFailed:
            version = profile.version  # the current one: saving again is a choice made
            form.form_errors.append(str(CHANGED_MEANWHILE))
        else:
            if saved is not None:
                flash(_("Profile saved."))
                return redirect(url_for("ui.profile_detail", profile_id=saved.id))
    status = 422 if form.errors else 200
    own = profile is not None and policy.is_owner(current_user, profile)
    advice = [render_hint(c, current_locale()) for c in profile_hints(profile)] if own else []
    return render_template("profile_edit.html", form=form, kind=kind, profile=profile,
                           version=version, fieldsets=FIELDSETS, hints=FIELD_HINTS,
                           advice=advice), status


def mark_required(form, schema: Schema) -> None:
    """Mark the fields a profile cannot be saved without, in their labels and controls."""
    for name, field in form._fields.items():
        if name in schema.fields and schema.fields[name].required:
            field.flags.required = True
            field.label.text = _("%(label)s (required)", label=field.label.text)


def save(form, schema: Schema, kind: str, profile: Profile | None,
         version: int | None) -> Profile | None:
    """Validate with the API's schema and save through the use cases; None on error.

    An edit is merged and validated by the use case on the stored row, whose version must
    still be ``version`` (raises PreconditionFailed otherwise; None: any).
    """
    submitted = form_input(form, schema)
    # The form answers for all its fields: one left empty is cleared, not kept.
    fields = [name for name in form._fields if name != "csrf_token"]
    try:
        if profile is None:
            return service.create_profile(current_user, kind, schema.load(submitted))
        return service.update_profile(current_user, kind, profile.id, submitted, schema,
                                      replaced=fields,
                                      if_match=None if version is None else {version})
    except ValidationError as err:
        problems = problems_of(err.normalized_messages())
    except InvalidInput as err:
        problems = err.fields or {"": [Problem(err.code, **err.params)]}
    except Conflict as err:
        if err.code == "profile_retired":
            form.form_errors.append(refusal_text(err))
            return None
        if profile is not None:  # changed by another request at the same moment
            raise PreconditionFailed(err.code, **err.params) from err
        form.form_errors.append(str(CANNOT_CREATE))
        return None
    except Forbidden:
        if profile is not None:
            raise  # its owner changed meanwhile: a plain 403
        record_access_denied()
        form.form_errors.append(str(CANNOT_CREATE))
        return None
    form.form_errors.extend(put_errors(form, problems, submitted))
    return None

