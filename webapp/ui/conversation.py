"""``/introductions/<id>/conversation``: the two parties' messages and meeting proposals.

The page asks the same use cases as the API (``conversations``, ``meetings``): the parties
only, writing only once accepted. Times are shown and entered in the reader's zone (from its
profile's place); a refused field is shown next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from models import IntroductionMessage, MeetingProposal, Profile
from webapp.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    record_access_denied,
)
from webapp.i18n import current_locale
from webapp.presenters import present_introduction
from webapp.services import conversations, inbox, meetings
from webapp.services.calendar_invites import local_words, zone_of, zone_words
from webapp.ui.conversation_forms import MeetingForm, MessageForm, PickForm
from webapp.ui.helpers import problem_text, refusal_text
from webapp.ui.introduction_forms import STATE_LABELS
from webapp.ui.introductions import state_shown
from webapp.ui.views import bp

# A refused field of a use case -> the form field it is shown next to.
FIELD_OF = {"times": "time_1", "minutes": "minutes", "note": "note", "body": "body",
            "time": "time"}


@bp.get("/introductions/<int:intro_id>/conversation")
@login_required
def conversation(intro_id: int):
    """Show an introduction's messages and meeting proposals to one of its parties (their
    notices about the thread are read: it is open)."""
    return render_conversation(intro_id)


def render_conversation(intro_id: int, failed: dict[str, FlaskForm] | None = None,
                        status: int = 200):
    """Render the page; a form that failed is shown again with its errors."""
    intro, own = _conversing(intro_id)
    inbox.read_about(current_user, intro_id, conversation=True)  # a party's, now shown
    failed = failed or {}
    zone, locale = zone_of(own), current_locale()
    shown = present_introduction(current_user, intro)
    other = shown["target"] if own.id == intro.requester_id else shown["requester"]
    names = {party.id: inbox.shown_name(party, locale)
             for party in (intro.requester, intro.target)}
    thread = [_message(m, own, names, zone, locale)
              for m in conversations.list_messages(current_user, intro_id)]
    proposals = [_meeting(p, own, names, zone, locale, failed)
                 for p in meetings.list_meetings(current_user, intro_id)]
    return render_template(
        "conversation.html", intro=shown, other=other, zone=zone_words(zone, locale),
        thread=thread, proposals=proposals,
        state_label=STATE_LABELS.get(state_shown(intro, shown["state"]), shown["state"]),
        open=intro.state in ("accepted", "completed"), meeting_open=intro.state == "accepted",
        waiting=shown["state"] == "requested",  # closed otherwise: never to be accepted
        message_form=failed.get("message") or MessageForm(),
        meeting_form=failed.get("meeting") or MeetingForm()), status


def _conversing(intro_id: int):
    try:
        return conversations.conversing(current_user, intro_id)
    except NotFound:
        abort(404)
    except Forbidden:
        record_access_denied()
        abort(403)


def _message(message: IntroductionMessage, own: Profile, names: dict[int, str], zone: str,
             locale: str) -> dict[str, Any]:
    return {"id": message.id, "mine": message.profile_id == own.id,
            "author": names.get(message.profile_id, ""), "body": message.body,
            "when": local_words(message.created_at, zone, locale)}


def _meeting(proposal: MeetingProposal, own: Profile, names: dict[int, str], zone: str,
             locale: str, failed: dict[str, FlaskForm]) -> dict[str, Any]:
    shown = meetings.present_meeting(proposal, own)
    form = failed.get(f"pick-{proposal.id}") or PickForm(prefix=f"pick-{proposal.id}")
    form.time.choices = [(t, local_words(datetime.fromisoformat(t), zone, locale))
                         for t in proposal.times]
    picked = proposal.picked_time
    return {**shown, "author": names.get(proposal.profile_id, ""), "form": form,
            "picked_words": local_words(picked, zone, locale) if picked else None}


@bp.post("/introductions/<int:intro_id>/conversation/messages")
@login_required
def send_message(intro_id: int):
    """Add a message to the thread."""
    form = MessageForm()
    return _attempt(intro_id, "message", form, lambda: conversations.post_message(
        current_user, intro_id, form.body.data), _("Message sent."), "messages")


@bp.post("/introductions/<int:intro_id>/conversation/meetings")
@login_required
def propose_meeting(intro_id: int):
    """Propose one to three times (in the reader's zone) for a meeting."""
    form = MeetingForm()
    times = [form[name].data for name in ("time_1", "time_2", "time_3")]
    return _attempt(intro_id, "meeting", form, lambda: meetings.propose(
        current_user, intro_id, {"times": [t for t in times if t is not None],
                                 "minutes": form.minutes.data, "note": form.note.data}),
        _("Meeting proposed. The other side will pick a time."), "meetings")


@bp.post("/introductions/<int:intro_id>/conversation/meetings/<int:meeting_id>/pick")
@login_required
def pick_meeting(intro_id: int, meeting_id: int):
    """Pick one of the other party's times; both receive the invitation."""
    _conversing(intro_id)
    try:
        proposal = meetings.get_meeting(current_user, intro_id, meeting_id)
    except NotFound:
        abort(404)
    form = PickForm(prefix=f"pick-{meeting_id}")
    form.time.choices = [(t, t) for t in proposal.times]
    return _attempt(intro_id, f"pick-{meeting_id}", form, lambda: meetings.pick(
        current_user, intro_id, meeting_id, datetime.fromisoformat(form.time.data)),
        _("Meeting confirmed. The invitation is on its way to both of you."), "meetings")


def _attempt(intro_id: int, key: str, form: FlaskForm, use_case: Callable[[], Any],
             done: str, anchor: str):
    """Run the use case of a valid form; show refusals next to the field, or as a notice."""
    if not form.validate_on_submit():
        return render_conversation(intro_id, {key: form}, 422)
    try:
        use_case()
    except NotFound:
        abort(404)
    except Forbidden:
        record_access_denied()
        abort(403)
    except InvalidInput as err:
        for name, problems in err.fields.items():
            form[FIELD_OF.get(name, "csrf_token")].errors = [problem_text(p) for p in problems]
        return render_conversation(intro_id, {key: form}, 422)
    except TooManyRequests as err:  # the budget is spent: said next to the form, kept as typed
        field = next(f for f in form if f.name not in ("csrf_token", "submit"))
        field.errors = [refusal_text(err)]
        body, _status = render_conversation(intro_id, {key: form}, 429)
        return body, 429, err.headers
    except Conflict as err:
        flash(refusal_text(err), "error")
        return redirect(url_for("ui.conversation", intro_id=intro_id, _anchor=anchor))
    flash(done)
    return redirect(url_for("ui.conversation", intro_id=intro_id, _anchor=anchor))
