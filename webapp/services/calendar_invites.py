"""iCalendar (``.ics``) invitations of a picked meeting, in the reader's language and zone.

Built with the ``icalendar`` package. The event starts at the picked instant written in the
reader's IANA zone (``DTSTART;TZID=…`` with its ``VTIMEZONE``), so a calendar shows the
reader's local time even without a zone database of its own.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_time, get_timezone, get_timezone_location
from flask import current_app
from icalendar import Calendar, Event

from matcher.taxonomy.timezones import zone_of_place
from models import Introduction, MeetingProposal, Profile
from webapp.catalogue.emails import CALENDAR
from webapp.catalogue.text import formatting_locale, translate
from webapp.services.links import page_url

MEDIA_TYPE = "text/calendar"


def zone_of(profile: Profile) -> str:
    """Return the IANA time zone of a profile's place (see ``matcher.taxonomy.timezones``)."""
    return zone_of_place(profile.country, profile.subdivision)


def local_words(instant, zone: str, locale: str | None) -> str:
    """Return an instant as a reader says it: the full date and short time in its zone."""
    local, lang = instant.astimezone(ZoneInfo(zone)), formatting_locale(locale)
    return f"{format_date(local.date(), 'full', locale=lang)}, " \
           f"{format_time(local, 'short', locale=lang)}"


def zone_words(zone: str, locale: str | None) -> str:
    """Return a time zone as a reader says it: its generic name in the reader's language
    ("Eastern Time", "hora oriental", "heure de l’Est"), never its IANA id.

    Read from CLDR's names of the zone or of its metazone. Babel's own fallback for a zone
    without one words it as a summer time in Spanish and French ("hora de verano de …"), so
    such a zone is named by its city, in the reader's language."""
    lang = Locale.parse(formatting_locale(locale))
    canonical = get_global("zone_aliases").get(zone, zone)
    names = (lang.time_zones.get(canonical, {}).get("long")
             or lang.meta_zones.get(get_global("meta_zones").get(canonical), {}).get("long")
             or {})
    said = names.get("generic") or names.get("standard")
    return said or get_timezone_location(get_timezone(canonical), lang, return_city=True)


def file_name(proposal: MeetingProposal) -> str:
    """Return the invitation's file name."""
    return f"puente-meeting-{proposal.id}.ics"


def invitation(proposal: MeetingProposal, intro: Introduction, reader: Profile,
               locale: str | None) -> str:
    """Return the ``.ics`` text of a picked meeting for one party, in its language and zone."""
    values = {"requester": intro.requester.name, "target": intro.target.name,
              "note": proposal.note or "",
              "url": page_url(f"/introductions/{intro.id}/conversation")}
    start = proposal.picked_time.astimezone(ZoneInfo(zone_of(reader)))
    calendar = Calendar()
    calendar.add("prodid", "-//Puente//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = urlsplit(current_app.config["PUENTE_BASE_URL"]).hostname or "puente"
    event.add("uid", f"meeting-{proposal.id}@{host}")
    event.add("dtstamp", proposal.picked_at)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=proposal.minutes))
    event.add("summary", translate(CALENDAR["summary"], locale, values))
    event.add("description", translate(CALENDAR["description"], locale, values))
    event.add("url", values["url"])
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode("utf-8")
