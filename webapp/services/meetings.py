"""Meeting proposals inside an accepted introduction: one party offers up to three times,
the other picks one, and both receive an iCalendar invitation in their language and zone.

Times are written in the proposer's zone (a time without an offset is read in it), stored in
UTC and shown to each party in its own zone (``calendar_invites.zone_of``). A pick is a
conditional update (``… WHERE picked_time IS NULL``): of two picks at once, one wins and the
other gets a 409.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update

from models import Introduction, MeetingProposal, Profile, User, db, utcnow
from models.conversations import MAX_TIMES, MEETING_MINUTES, NOTE_MAX
from models.introductions import ACCEPTED
from models.storable import valid_id
from webapp.errors import Conflict, Forbidden, NotFound, Problem, invalid_fields
from webapp.input_guard import check_storable
from webapp.schemas.fields import LAST_DAY
from webapp.services import budgets, inbox, notifications
from webapp.services.audit import record
from webapp.services.calendar_invites import (
    MEDIA_TYPE,
    file_name,
    invitation,
    local_words,
    zone_of,
    zone_words,
)
from webapp.services.conversations import conversation_url, conversing
from webapp.services.introductions import message_params
from webapp.services.transactions import write_transaction


def list_meetings(user: User, intro_id: int) -> list[MeetingProposal]:
    """Return the meeting proposals of an introduction, oldest first (its parties only)."""
    intro, _ = conversing(user, intro_id)
    return list(db.session.scalars(db.select(MeetingProposal).where(
        MeetingProposal.introduction_id == intro.id).order_by(MeetingProposal.id)))


def get_meeting(user: User, intro_id: int, meeting_id: int) -> MeetingProposal:
    """Return one proposal of an introduction the user is party to, or raise NotFound."""
    conversing(user, intro_id)
    proposal = db.session.get(MeetingProposal, meeting_id) if valid_id(meeting_id) else None
    if proposal is None or proposal.introduction_id != intro_id:
        raise NotFound("meeting_not_found", id=meeting_id)
    return proposal


def propose(user: User, intro_id: int, data: dict[str, Any],
            now: datetime | None = None) -> MeetingProposal:
    """Offer 1–3 future times for a meeting to the other party, tell it, and commit."""
    now = now or utcnow()
    intro, own = conversing(user, intro_id)
    zone = zone_of(own)
    times = _future_times(data.get("times") or [], zone, now)
    minutes, note = data.get("minutes", 60), (data.get("note") or "").strip()
    _check_details(minutes, note)
    _require_accepted(intro)
    budgets.spend("meeting_proposal", user.id)
    with write_transaction():
        intro, own = conversing(user, intro_id)
        _require_accepted(intro)
        proposal = MeetingProposal(
            introduction_id=intro.id, profile_id=own.id, author_id=user.id, minutes=minutes,
            times=[t.isoformat() for t in times], note=note, zone=zone, created_at=now)
        db.session.add(proposal)
        db.session.flush()
        record("meeting.propose", "introduction", intro.id, actor=user, meeting_id=proposal.id)
        other = _other(intro, own)
        if other.user is not None and other.user.active:
            inbox.notify_in_app([other.user.id], "meeting_proposed", introduction_id=intro.id,
                                sender_id=own.id)
        _tell(other, "meeting_proposed", intro, author=own.name, minutes=minutes,
              note=note, times="\n".join(
                  f"- {local_words(t, zone_of(other), _locale(other))}" for t in times))
    return proposal


def pick(user: User, intro_id: int, meeting_id: int, time: datetime,
         now: datetime | None = None) -> MeetingProposal:
    """Pick one of the times the other party proposed; send both the invitation; commit."""
    now = now or utcnow()
    with write_transaction():
        proposal = get_meeting(user, intro_id, meeting_id)
        intro, own = conversing(user, intro_id)
        if proposal.profile_id == own.id:
            raise Forbidden("own_meeting_proposal")
        _require_accepted(intro)
        chosen = _in_zone(time, zone_of(own))
        if chosen not in {datetime.fromisoformat(t) for t in proposal.times}:
            raise invalid_fields({"time": Problem("not_a_proposed_time")})
        if chosen <= now:
            raise invalid_fields({"time": Problem("time_in_past")})
        table = MeetingProposal.__table__
        won = db.session.execute(update(table).where(
            table.c.id == proposal.id, table.c.picked_time.is_(None)
        ).values(picked_time=chosen, picked_by_id=own.id, picked_at=now)).rowcount
        if won != 1:
            raise Conflict("meeting_picked", id=proposal.id)
        db.session.expire(proposal)
        record("meeting.pick", "introduction", intro.id, actor=user, meeting_id=proposal.id)
        if (proposer := _other(intro, own)).user is not None and proposer.user.active:
            inbox.notify_in_app([proposer.user.id], "meeting_picked", introduction_id=intro.id,
                                sender_id=own.id)
        for party in (intro.requester, intro.target):
            _send_invitation(party, proposal, intro)
    return proposal


def invitation_for(user: User, intro_id: int, meeting_id: int) -> tuple[str, str]:
    """Return ``(file name, .ics text)`` of a picked meeting for the user's own party."""
    proposal = get_meeting(user, intro_id, meeting_id)
    intro, own = conversing(user, intro_id)
    if proposal.picked_time is None:
        raise Conflict("meeting_not_picked", id=proposal.id)
    return file_name(proposal), invitation(proposal, intro, own, user.locale)


def present_meeting(proposal: MeetingProposal, reader: Profile) -> dict[str, Any]:
    """Return a proposal as its reader sees it: times in the reader's zone."""
    zone = ZoneInfo(zone_of(reader))
    picked = proposal.picked_time
    return {
        "id": proposal.id, "proposer_id": proposal.profile_id,
        "mine": proposal.profile_id == reader.id, "minutes": proposal.minutes,
        "note": proposal.note, "proposer_zone": proposal.zone, "zone": zone.key,
        "times": [datetime.fromisoformat(t).astimezone(zone) for t in proposal.times],
        "picked_time": picked.astimezone(zone) if picked else None,
        "picked_by_id": proposal.picked_by_id, "created_at": proposal.created_at,
    }


def _future_times(raw: list[datetime], zone: str, now: datetime) -> list[datetime]:
    if not 1 <= len(raw) <= MAX_TIMES:
        code = "too_few_items" if not raw else "too_many_items"
        raise invalid_fields({"times": Problem(code, num=1 if not raw else MAX_TIMES)})
    # A time past the program's last day is refused: beyond it the proposer's zone or the
    # meeting's end overflowed the largest date.
    too_far = invalid_fields({"times": Problem("date_out_of_range", min=now.date().isoformat(),
                                               max=LAST_DAY.isoformat())})
    try:
        times = [_in_zone(t, zone) for t in raw]
    except OverflowError:
        raise too_far from None
    if any(t <= now for t in times):
        raise invalid_fields({"times": Problem("time_in_past")})
    if any(t.date() > LAST_DAY for t in times):
        raise too_far
    if any(_skipped(t, zone) for t in raw):
        raise invalid_fields({"times": Problem("time_skipped")})
    if len(set(times)) != len(times):
        raise invalid_fields({"times": Problem("times_repeated")})
    return sorted(times)


def _in_zone(time: datetime, zone: str) -> datetime:
    """Return an instant in UTC; a time without an offset is read in ``zone``."""
    if time.tzinfo is None:
        time = time.replace(tzinfo=ZoneInfo(zone))
    return time.astimezone(UTC).replace(microsecond=0)


def _skipped(time: datetime, zone: str) -> bool:
    """Whether a time without an offset is one the clocks skip in ``zone`` (read as is, it
    would silently become the hour after: 2:30 on the night of 2:00 → 3:00 is 3:30)."""
    if time.tzinfo is not None:
        return False
    tz = ZoneInfo(zone)
    return time.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != time


def _check_details(minutes: Any, note: str) -> None:
    low, high = MEETING_MINUTES
    if not isinstance(minutes, int) or not low <= minutes <= high:
        raise invalid_fields({"minutes": Problem("out_of_range", min=low, max=high)})
    if len(note) > NOTE_MAX:
        raise invalid_fields({"note": Problem("too_long", num=NOTE_MAX)})
    check_storable({"note": note})


def _require_accepted(intro: Introduction) -> None:
    if intro.state != ACCEPTED:
        raise Conflict("meeting_needs_accepted", id=intro.id, state=intro.state)


def _other(intro: Introduction, own: Profile) -> Profile:
    return intro.target if own.id == intro.requester_id else intro.requester


def _locale(profile: Profile) -> str | None:
    return profile.user.locale if profile.user is not None else None


def _tell(party: Profile, template: str, intro: Introduction, attachment=None, **extra) -> None:
    params = message_params(intro, zone=zone_words(zone_of(party), _locale(party)),
                            url=conversation_url(intro), **extra)
    notifications.enqueue(party.user, template, params, intro.id, attachment=attachment)


def _send_invitation(party: Profile, proposal: MeetingProposal, intro: Introduction) -> None:
    locale = _locale(party)
    attachment = notifications.Attachment(file_name(proposal), MEDIA_TYPE,
                                          invitation(proposal, intro, party, locale))
    _tell(party, "meeting_confirmed", intro, attachment=attachment,
          when=local_words(proposal.picked_time, zone_of(party), locale),
          minutes=proposal.minutes, note=proposal.note or "")
