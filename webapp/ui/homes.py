"""Signed-in homes (what is waiting, by role), the notifications page and the review queue."""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import parse_qsl, urlsplit

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from models import Profile, utcnow
from webapp import policy
from webapp.catalogue.notices import render_hint, render_notice
from webapp.errors import NotFound
from webapp.i18n import current_locale
from webapp.services import homes, inbox
from webapp.services.calendar_invites import local_words, zone_of, zone_words
from webapp.services.completeness import completeness
from webapp.services.introductions import state_now
from webapp.services.match_cards import OwnerCards
from webapp.ui.forms import StorableForm
from webapp.ui.helpers import page_number, page_refusal, require
from webapp.ui.introduction_forms import INTRO_KIND_LABELS, STATE_LABELS, ReviewForm
from webapp.ui.outcomes import STAGE_LABELS
from webapp.ui.repeated_args import reads_args
from webapp.ui.views import bp, safe_next

ROLE_KINDS = {"sme": _l("SMEs"), "mentor": _l("Mentors"), "buyer": _l("Buyers")}
NOTICES_PER_PAGE = 25
QUEUE_PER_PAGE = 25


def unread_notices() -> int:
    """Return the signed-in user's unread notices, counted once per request (0 if anonymous)."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notices" not in g:
        g.unread_notices = inbox.unread_count(current_user)
    return g.unread_notices


def own_profile() -> tuple[Profile | None, OwnerCards | None]:
    """Return the signed-in owner's profile (None without one) as ``current_user.profile``
    would, and when the request changes nothing (a GET: no notice, mark or introduction can
    arrive before the page is drawn) its match cards, read in the same statement with its
    unread notices, which the page's header shows, and which of its waiting introductions the
    program made (:func:`made_by_program`); on a POST the cards are None (read them after the
    request's own writes)."""
    own = inbox.own_profile_unread_and_cards(current_user._get_current_object())
    if request.method != "GET":
        return own.profile, None
    if own.unread is not None:
        g.unread_notices = own.unread
    if own.program is not None:
        g.program_introductions = own.program
    return own.profile, own.cards


def made_by_program(waiting: Collection[int]) -> set[int]:
    """Return which of the owner's waiting (or turned-down) introductions the program made: as
    read with its profile on a GET (:func:`own_profile`), else asked (after a POST's writes)."""
    if "program_introductions" in g:
        return set(waiting) & g.program_introductions
    return inbox.made_by_program(waiting)


@bp.get("/")
def home():
    """Explain the service to visitors; a signed-in user's home says what waits for it."""
    if current_user.is_authenticated:
        return signed_in_home()
    return render_template("home.html")


def signed_in_home():
    """Render the signed-in user's home: the review queue for staff, what waits for others."""
    if policy.may_see_program(current_user):
        return render_template("home_staff.html", home=homes.staff_home(),
                               states=STATE_LABELS, kinds=ROLE_KINDS)
    home = homes.owner_home(current_user)
    hints = [render_hint(code, current_locale()) for code in home.hints]
    return render_template("home_member.html", home=home, hints=hints, stages=STAGE_LABELS,
                           percent=completeness(home.profile) if home.profile else 0,
                           zone=zone_of(home.profile) if home.profile else "UTC")


# -- notifications --------------------------------------------------------------------------

@bp.get("/notifications")
@reads_args("page")
@login_required
def notifications():
    """List the user's notifications, newest first, unread ones marked."""
    page = inbox.list_notices(current_user, page_number(), NOTICES_PER_PAGE)
    page_error = page_refusal()  # the first page is shown, and why
    locale, profile = current_locale(), current_user.profile
    # As the conversation page: in the zone of the reader's place (UTC without a profile).
    zone = zone_of(profile) if profile is not None else "UTC"
    entries = [{"notice": n, "text": render_notice(n.kind, inbox.notice_params(n), locale),
                "when": local_words(n.created_at, zone, locale)}
               for n in page.items]
    return render_template("notifications.html", entries=entries, page=page.page,
                           pages=max(1, -(-page.total // NOTICES_PER_PAGE)),
                           unread=unread_notices(), form=StorableForm(),
                           zone=zone_words(zone, locale),
                           placed=profile is not None,
                           page_error=page_error), 422 if page_error else 200




@bp.get("/notifications/<int:notice_id>")
@login_required
def open_notification(notice_id: int):
    """Open a notification: mark it read and go to its introduction (or back to the list)."""
    try:
        notice = inbox.open_notice(current_user, notice_id)
    except NotFound:
        abort(404)
    if notice.introduction_id is None:
        return redirect(url_for("ui.notifications"))
    if notice.kind in inbox.CONVERSATION_KINDS:
        return redirect(url_for("ui.conversation", intro_id=notice.introduction_id))
    return redirect(url_for("ui.introduction_link", intro_id=notice.introduction_id))


@bp.post("/notifications/read")
@login_required
def read_notifications():
    """Mark every notification of the user read."""
    if not StorableForm().validate_on_submit():
        abort(400)
    inbox.mark_read(current_user)
    flash(_("All notifications are marked read."))
    return redirect(url_for("ui.notifications"))


# -- review queue ---------------------------------------------------------------------------

@bp.get("/review-queue")
@reads_args("page", lists=["show"])
@login_required
def review_queue():
    """Show staff the introductions to look at: unreviewed, flagged, waiting, near expiry."""
    require(policy.may_review(current_user))
    return render_review_queue(request.full_path.rstrip("?"))


def render_review_queue(here: str, failed: tuple[int, ReviewForm] | None = None,
                        status: int = 200):
    """Render the review queue at ``here`` (its path, filters and page); a review form that
    failed is shown again as it was typed, with its errors next to its field."""
    here = safe_next(here) or url_for("ui.review_queue")
    args = MultiDict(parse_qsl(urlsplit(here).query))
    chosen = [f for f in homes.QUEUE_FILTERS if f in args.getlist("show")]
    page, page_error = page_number(args), page_refusal(args)
    items, total = homes.review_queue(chosen, page, QUEUE_PER_PAGE)
    return render_template(
        "review_queue.html", items=items, total=total, page=page, chosen=chosen,
        states_now={i.id: state_now(i, utcnow()) for i in items},
        pages=max(1, -(-total // QUEUE_PER_PAGE)), counts=homes.queue_counts(),
        states=STATE_LABELS, kinds=INTRO_KIND_LABELS, review_form=ReviewForm(formdata=None),
        failed=failed, here=here,
        page_error=page_error), 422 if page_error and status == 200 else status
