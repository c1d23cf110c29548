"""In-app notices and profile hints: kind (or hint code) -> English msgid.

A notice's parameters: ``requester`` and ``target`` (the introduction's profile names, as
they are when read), ``party`` (who reported a step), ``stage`` (an outcome stage code, named from
``words.OUTCOME_STAGES``), ``sender`` (who wrote or proposed), ``reason_code`` (a decline
reason). Missing parameters render empty; a notice stores codes and names, never text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webapp.catalogue.params import worded
from webapp.catalogue.text import N_, locale_of, translate
from webapp.catalogue.words import DECLINE_REASONS, OUTCOME_STAGES

NOTICES: Mapping[str, str] = {
    "requested": N_("%(requester)s asks to be introduced to %(target)s."),
    "accepted": N_("%(target)s accepted your introduction request."),
    "declined": N_("%(target)s declined your introduction request (%(reason)s)."),
    "declined_no_capacity": N_("%(target)s has no room for new introductions right now: your "
                               "request was closed."),
    "withdrawn": N_("%(requester)s withdrew the introduction request."),
    # Puente closed the reader's request: its target's account was deleted or deactivated.
    "party_left": N_("%(target)s left Puente: your introduction request was closed."),
    "expired": N_("The introduction request from %(requester)s to %(target)s expired "
                  "without an answer."),
    "completed": N_("The introduction between %(requester)s and %(target)s is completed."),
    "step_to_confirm": N_("%(party)s reported a step for you to confirm: %(stage)s."),
    "message": N_("%(sender)s sent you a message about the introduction between "
                  "%(requester)s and %(target)s."),
    "meeting_proposed": N_("%(sender)s proposed times to meet."),
    "meeting_picked": N_("%(sender)s picked a time to meet."),
    "program_introduction": N_("The program introduced %(requester)s and %(target)s."),
    "program_accepted": N_("%(target)s accepted the introduction the program made."),
    "program_turned_down": N_("%(requester)s declined the introduction the program made."),
}
NOTICE_KINDS = tuple(NOTICES)

# What would improve one's matches: hint code -> msgid (see services.completeness).
HINTS: Mapping[str, str] = {
    "add_sectors": N_("Add your NAICS sector codes: sectors weigh in every match."),
    "add_languages": N_("Say which languages you work in."),
    "add_markets": N_("Say which markets you target or know."),
    "add_description": N_("Describe your business or your experience in a few sentences."),
    "add_needs": N_("Choose what you need help with."),
    "add_needs_text": N_("Describe your needs in your own words."),
    "add_products": N_("Describe the products or services you offer or seek."),
    "add_export_stage": N_("Say how far along you are in exporting."),
    "add_certifications": N_("List the certifications you hold."),
    "add_expertise": N_("Choose your areas of expertise."),
    "add_bio": N_("Write a short bio: what you have done and for whom."),
    "add_sourcing_countries": N_("Say which countries you source from."),
    "add_contact": N_("Add a contact e-mail or phone for accepted introductions."),
}


def render_notice(kind: str, params: Mapping[str, Any], locale: str | None = "en") -> str:
    """Return a notice in ``locale``, its codes named (an unknown kind reads as its code)."""
    msgid = NOTICES.get(kind)
    if msgid is None:
        return kind
    loc = locale_of(locale)
    values = worded({k: v for k, v in params.items() if k not in ("stage", "reason_code")},
                    loc)
    if params.get("stage") in OUTCOME_STAGES:
        values["stage"] = translate(OUTCOME_STAGES[params["stage"]], loc).lower()
    if params.get("reason_code") in DECLINE_REASONS:
        values["reason"] = translate(DECLINE_REASONS[params["reason_code"]], loc).lower()
    return translate(msgid, loc, values)


def render_hint(code: str, locale: str | None = "en") -> str:
    """Return a completeness hint in ``locale``."""
    return translate(HINTS[code], locale)
