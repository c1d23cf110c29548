"""Who may do or see what: every permission of Puente, in one place.

Views, pages, exports, e-mails, CLI commands and use cases ask these questions; none answers
them itself. The answers are plain booleans (or the fields to leave out): the caller refuses
with its own exception, so this module depends on ``models`` only.

Roles: an SME, mentor or buyer account owns at most one profile; coordinators and admins are
program staff. What a role may read of a profile:

- contact details (``contact_email``, ``contact_phone``): the owner and admins — and the other
  party of an accepted introduction, through the introduction;
- the self-declared ownership: the owner and staff;
- a hidden profile — inactive, or owned by an account whose e-mail address is not verified
  yet or that an admin deactivated: its owner and staff (:func:`listed_profiles` is the same
  rule in SQL).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, or_, select

from models import CONTACT_FIELDS, Introduction, IntroductionFeedback, Profile, Role, User
from models.introductions import ACCEPTED, COMPLETED

PRIVATE_TO_STAFF = ("ownership",)  # self-declared ownership: owner, coordinators, admins
REVEALED_STATES = (ACCEPTED, COMPLETED)  # the parties see each other's contacts
STAFF_ROLES = tuple(role.value for role in Role if role.is_staff)  # for queries of accounts


# -- roles -----------------------------------------------------------------------------------

def is_staff(user: User) -> bool:
    """Tell whether the user is program staff (a coordinator or an admin)."""
    return user.is_staff


def is_admin(user: User) -> bool:
    """Tell whether the user is an admin."""
    return user.role == "admin"


def has_own_profile(user: User) -> bool:
    """Tell whether the user's pages are about a profile of its own (not staff's)."""
    return not user.is_staff


# -- program-wide actions --------------------------------------------------------------------

def may_see_program(user: User) -> bool:
    """Tell whether the user may see program data: every profile and introduction, the
    dashboard, metrics and exports."""
    return user.is_staff


def may_run_cohorts(user: User) -> bool:
    """Tell whether the user may propose, edit and confirm cohort allocations."""
    return user.is_staff


def may_manage_models(user: User) -> bool:
    """Tell whether the user may list and activate model versions."""
    return user.is_staff


def may_follow_job(user: User, job) -> bool:
    """Tell whether the user may see a background job: the one who started it, and staff."""
    return user.is_staff or (job.started_by_id is not None and job.started_by_id == user.id)


def may_set_program_rules(user: User) -> bool:
    """Tell whether the user may read and change the program's matching rules and weights."""
    return user.is_staff


def may_manage_users(user: User) -> bool:
    """Tell whether the user may list accounts, invite staff and deactivate accounts."""
    return is_admin(user)


STAFF_ROLES = ("coordinator", "admin")  # the roles an admin may invite


def may_read_audit_log(user: User) -> bool:
    """Tell whether the user may read the audit log."""
    return is_admin(user)


def may_review(user: User) -> bool:
    """Tell whether the user may review introductions (and read the reviews)."""
    return user.is_staff


def may_see_plain_ranking(user: User) -> bool:
    """Tell whether the user may see a ranking without the fair-exposure re-ranking (staff)."""
    return user.is_staff


def counts_as_exposure(user: User) -> bool:
    """Tell whether rankings shown to the user count as exposure (participants' views do,
    staff browsing does not)."""
    return not user.is_staff


# -- profiles --------------------------------------------------------------------------------

def is_owner(user: User, profile: Profile) -> bool:
    """Tell whether the user owns the profile."""
    return profile.user_id is not None and profile.user_id == user.id


def can_manage(user: User, profile: Profile) -> bool:
    """Tell whether the user may edit or delete the profile, or see its matches."""
    return user.is_staff or is_owner(user, profile)


def may_mark_matches(user: User, profile: Profile) -> bool:
    """Tell whether the user may save or hide matches of the profile: its owner only (a hide
    teaches the model what the owner does not want; nobody else may say that for it)."""
    return is_owner(user, profile)


def may_create_profile_of(user: User, kind: str) -> bool:
    """Tell whether the user may create a profile of this kind (staff: any, unowned)."""
    return user.is_staff or user.role == kind


def is_listed(profile: Profile) -> bool:
    """Tell whether others may see the profile: active, and unowned or owned by an account
    whose address is verified and that is not deactivated (an unverified account's profile,
    or a deactivated one's, which can never answer, is shown to nobody else)."""
    return profile.active and owner_may_be_shown(profile.user)


def owner_may_be_shown(owner: User | None) -> bool:
    """Tell whether the owning account (None: no owner) lets others see its profile: an
    active account with a verified address (:func:`owner_verified` in SQL)."""
    return owner is None or (owner.is_verified and bool(owner.active))


def listed_profiles() -> ColumnElement[bool]:
    """Return :func:`is_listed` as an SQL condition on ``profiles`` (lists, rankings, cohorts)."""
    return and_(Profile.active.is_(True), owner_verified())


def owner_verified() -> ColumnElement[bool]:
    """Return the SQL condition: the profile has no owner, or an active one with a verified
    address (:func:`owner_may_be_shown`)."""
    return ~exists(select(User.id).where(User.id == Profile.user_id,
                                         or_(User.email_verified_at.is_(None),
                                             User.active.is_(False))))


def may_see_profile(user: User, profile: Profile) -> bool:
    """Tell whether the user may see the profile: listed ones, or hidden ones it manages."""
    return is_listed(profile) or can_manage(user, profile)


def may_request_introductions(user: User) -> bool:
    """Tell whether the user may ask for introductions: once its address is verified."""
    return user.is_verified


def may_see_hidden_profiles(user: User) -> bool:
    """Tell whether lists show the user every profile, hidden (inactive) ones too."""
    return user.is_staff


def may_request_for(user: User, profile: Profile) -> bool:
    """Tell whether the user may request introductions on behalf of the profile."""
    return user.is_staff or is_owner(user, profile)


def may_set_contacts(user: User, profile: Profile) -> bool:
    """Tell whether the user may write the profile's contact details: its owner; for a
    profile with no owner (staff created it), the admin, who may read them (staff who may not
    read them may not overwrite them either)."""
    return is_owner(user, profile) or (profile.user_id is None and is_admin(user))


def hidden_fields(user: User, profile: Profile) -> tuple[str, ...]:
    """Return the fields of the profile the user must not see."""
    hidden: tuple[str, ...] = ()
    if not (is_admin(user) or is_owner(user, profile)):
        hidden += CONTACT_FIELDS
    if not (user.is_staff or is_owner(user, profile)):
        hidden += PRIVATE_TO_STAFF
    return hidden


def may_see_ownership(user: User, profile: Profile) -> bool:
    """Tell whether the user may learn the profile's self-declared ownership — also through
    a match reason or score term that depends on it (a buyer's diversity goals)."""
    return "ownership" not in hidden_fields(user, profile)


def may_see_others_ownership(user: User) -> bool:
    """Tell whether the user may learn the ownership of profiles it does not own (staff): a
    ranking of SMEs shown to anyone else must not depend on it, even through its scores."""
    return bool(user.is_staff)


def uneditable_fields(user: User, profile: Profile) -> tuple[str, ...]:
    """Return the fields of the profile the user's editor must leave out: those it may not
    see, and the contact details unless the user owns the profile."""
    hidden = hidden_fields(user, profile)
    if not may_set_contacts(user, profile):
        hidden += tuple(name for name in CONTACT_FIELDS if name not in hidden)
    return hidden


def readable(user: User, profile: Profile, names: Iterable[str]) -> list[str]:
    """Return the names of the fields the user may read, in the given order."""
    hidden = hidden_fields(user, profile)
    return [name for name in names if name not in hidden]


# -- introductions ---------------------------------------------------------------------------

def is_party(user: User, intro: Introduction) -> bool:
    """Tell whether the user owns one of the two profiles of the introduction."""
    return is_owner(user, intro.requester) or is_owner(user, intro.target)


def can_see(user: User, intro: Introduction) -> bool:
    """Tell whether the user may read the introduction: its parties and program staff."""
    return user.is_staff or is_party(user, intro)


def contacts_visible(user: User, intro: Introduction) -> bool:
    """Tell whether the user sees the parties' contact details (double opt-in done)."""
    return intro.state in REVEALED_STATES and (is_party(user, intro) or is_admin(user))


def acts_for(user: User, profile: Profile) -> bool:
    """Tell whether the user may answer for the profile: its owner, or staff if unowned.

    Staff never accept or decline on behalf of a person: the opt-in must be theirs.
    """
    return is_owner(user, profile) or (user.is_staff and profile.user_id is None)


def own_parties(user: User, intro: Introduction) -> list[Profile]:
    """Return the parties of the introduction that the user owns (leaves feedback for)."""
    return [p for p in (intro.requester, intro.target) if is_owner(user, p)]


def visible_feedback(user: User, intro: Introduction) -> list[IntroductionFeedback]:
    """Return the feedback the user may read: all for staff, a party's own otherwise."""
    if user.is_staff:
        return list(intro.feedback)
    own = {p.id for p in own_parties(user, intro)}
    return [f for f in intro.feedback if f.profile_id in own]


def may_converse(user: User, intro: Introduction) -> bool:
    """Tell whether the user may read and write the introduction's messages and meeting
    proposals: its two parties only. Staff do not read them: the conversation is private
    between two people who agreed to talk (a party who needs help forwards it)."""
    return is_party(user, intro)


# -- outcomes --------------------------------------------------------------------------------

def may_report_outcome(user: User, intro: Introduction) -> bool:
    """Tell whether the user may report a step of the introduction's ladder: its parties."""
    return is_party(user, intro)


def may_answer_outcome(user: User, intro: Introduction, reported_for: Profile) -> bool:
    """Tell whether the user may confirm or dispute a step reported for a party: the other
    party, or staff on its behalf (never the party that reported it)."""
    if is_owner(user, reported_for):
        return False
    return user.is_staff or is_party(user, intro)


def answers_on_behalf(user: User, intro: Introduction) -> bool:
    """Tell whether the user's confirmation is given for a party (staff, not a party)."""
    return user.is_staff and not is_party(user, intro)


def may_see_impact(user: User) -> bool:
    """Tell whether the user may read the program's impact report."""
    return user.is_staff


def may_set_usd_rates(user: User) -> bool:
    """Tell whether the user may maintain the yearly US dollar rates."""
    return is_admin(user)
