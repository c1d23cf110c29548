"""What a reader sees of a resource: one presenter per resource, for the API and the pages.

Each presenter asks :mod:`webapp.policy` what the user may read and leaves the rest out, so
every view, page, export and e-mail shows a profile or an introduction the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from matcher.reasons import Reason
from models import Introduction, Profile, User, utcnow
from models.introductions import EXPIRED
from webapp import policy
from webapp.catalogue import for_target, reason_payload
from webapp.catalogue.reasons import UnknownReasonError
from webapp.i18n import current_locale
from webapp.schemas.introductions import PartySchema
from webapp.services.introductions import expires_at, is_overdue
from webapp.services.matching import without_ownership

PUBLIC_PARTY_FIELDS = ("id", "kind", "name", "country", "subdivision", "city")
CONTACT_FIELDS = tuple(f for f in PartySchema._declared_fields if f not in PUBLIC_PARTY_FIELDS)
INTRODUCTION_FIELDS = ("id", "kind", "state", "origin", "message", "created_at", "updated_at",
                       "responded_at", "closed_at", "decline_reason_code", "decline_reason_text")


# -- profiles --------------------------------------------------------------------------------

def present_profile(user: User, profile: Profile, names: Iterable[str]) -> dict[str, Any]:
    """Return the profile's values of ``names`` (in order), less those the user may not read.

    A retired (anonymised) profile has no city: it is shown as ``null``, as the contract says,
    never as an empty text.
    """
    data = {name: getattr(profile, name) for name in policy.readable(user, profile, names)}
    if data.get("city") == "":
        data["city"] = None
    return data


# -- introductions ---------------------------------------------------------------------------

def present_introduction(user: User, intro: Introduction) -> dict[str, Any]:
    """Return the introduction as the user may see it: the parties' contacts once accepted
    (to the parties and admins), feedback the user may read, reviews for staff.

    It is shown in the state it reads in now: a request past its expiry that the sweep has
    not reached yet is expired (closed at its expiry), as answering it would make it."""
    reveal = policy.contacts_visible(user, intro)
    return {
        **_fields(intro, INTRODUCTION_FIELDS), **_state_now(intro),
        "requester": _party(intro.requester, reveal), "target": _party(intro.target, reveal),
        "match": _match(intro, user, current_locale()),
        "feedback": [_fields(f, ("profile_id", "rating", "comment", "created_at"))
                     for f in policy.visible_feedback(user, intro)],
        "reviews": [_fields(r, ("reviewer_id", "rating", "comment", "flag", "created_at"))
                    for r in intro.reviews] if policy.may_review(user) else [],
    }


def _state_now(intro: Introduction) -> dict[str, Any]:
    expiry = expires_at(intro)
    if is_overdue(intro, utcnow()):
        return {"state": EXPIRED, "closed_at": expiry, "expires_at": None}
    return {"expires_at": expiry}


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


def _party(profile: Profile, reveal: bool) -> dict[str, Any]:
    party = _fields(profile, PUBLIC_PARTY_FIELDS + (CONTACT_FIELDS if reveal else ()))
    if party.get("city") == "":  # a retired profile: no city, as its own read says
        party["city"] = None
    return party


def _match(intro: Introduction, user: User, locale: str) -> dict[str, Any] | None:
    """Return the match snapshot with its reasons worded for the reader: the requester (as
    they were computed), the target (each reason's counterpart) or staff (third person)."""
    snapshot = intro.match_snapshot
    if not snapshot:
        return None
    sme = intro.requester if intro.requester.kind == "sme" else intro.target
    if sme.kind == "sme" and not policy.may_see_ownership(user, sme):
        snapshot = without_ownership(snapshot)
    staff_about = intro.requester.kind if policy.is_staff(user) else None
    mirror = staff_about is None and policy.acts_for(user, intro.target)
    return {**snapshot, "reasons": [_reason(r, locale, mirror, staff_about)
                                    for r in snapshot.get("reasons", [])]}


def _reason(stored: dict, locale: str, mirror: bool, staff_about: str | None) -> dict[str, Any]:
    try:
        reason = Reason(stored["code"], stored.get("params") or {})
        return reason_payload(for_target(reason) if mirror else reason, locale,
                              staff_about=staff_about)
    except (KeyError, UnknownReasonError):  # a reason of an older model version: show it unworded
        return stored
