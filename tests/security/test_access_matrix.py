"""The access matrix: every route of the app × every role, the expected answer, from ONE table.

Each row is a method, a URL template and what each role gets: anonymous, sme, mentor, buyer,
coordinator, admin and other_owner (a second SME owner, looking at the first one's objects).
The ``<placeholders>`` name objects of the world in ``access_world``: ``<sme>``, ``<mentor>``,
``<buyer>``, ``<other>`` (profiles), ``<intro>`` (the sme's request to the mentor), ``<token>``
(a spare API token of the sme), ``<other_token>``, ``<cohort>``, ``<version>``, ``<kind>``.

An answer below 400 (other than LOGIN/AWAY) means the role is allowed: a write must then
really change what ``effect`` looks at. Any other answer is a refusal: nothing in the database
may change. A route of ``app.url_map`` missing from the table fails ``test_every_route_...``:
adding a route means deciding who may use it, here, in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, text

from models import (
    ApiToken,
    BackgroundJob,
    CohortProposal,
    Introduction,
    IntroductionMessage,
    JobFile,
    MatchMark,
    MeetingProposal,
    ModelVersion,
    Notice,
    OutboxMessage,
    OutcomeStep,
    Profile,
    ProgramRule,
    UsdRate,
    User,
    db,
)
from tests.factories import PAYLOADS, app_config, csrf_token, today
from tests.security import access_world as aw
from tests.ui.helpers import form_data
from webapp import create_app
from webapp.services import accounts, meetings, outcome_steps
from webapp.services.matching import forget_state
from webapp.services.transactions import write_transaction

LOGIN = "login"  # 302 to the login page: a page refused to an anonymous visitor
AWAY = "away"  # 302 elsewhere, nothing done (e.g. staff sent from the inbox to the dashboard)
RENAMED = "Renamed by the matrix"


# -- what a request sends and what a successful write must have changed ----------------------

def renamed(placeholder: str) -> Callable:
    return lambda w, role: getattr(w.profile(placeholder), "name", None) == RENAMED


def own_renamed(w, role) -> bool:
    user = w.user(role)
    return bool(user and user.profile and user.profile.name == RENAMED)


def gone(placeholder: str) -> Callable:
    """Deleted, or — with introductions to keep for its counterparts — retired: anonymised,
    inactive and without an owner."""
    def check(w, role):
        profile = w.profile(placeholder)
        return profile is None or (profile.name == "(deleted profile)"
                                   and not profile.active and profile.user_id is None)
    return check


def intro_in(state: str) -> Callable:
    return lambda w, role: w.intro().state == state


RULES_BODY = {"sme_mentor": {"min_score": 0.3}}
def session_body(*_) -> dict:
    """A mentoring session reported today (read when used: a run may cross midnight)."""
    return {"stage": "session", "occurred_on": today(), "minutes": 30}


def sme_reported_a_session(w) -> None:
    """Have the SME report a mentoring session on the accepted introduction: ``<outcome>``."""
    sme = db.session.get(User, w.user_ids["sme"])
    step = outcome_steps.report_step(sme, w.ids["intro"], {**session_body(), "occurred_on":
                                                            date.fromisoformat(today())})
    w.ids["outcome"] = step.id


FAR_FUTURE = datetime(2099, 1, 1, 10, tzinfo=UTC)


def sme_proposed_a_meeting(w) -> None:
    """Have the SME propose a meeting on the accepted introduction: ``<meeting>``."""
    sme = db.session.get(User, w.user_ids["sme"])
    w.ids["meeting"] = meetings.propose(sme, w.ids["intro"], {"times": [FAR_FUTURE]}).id


def mentor_picked_the_meeting(w) -> None:
    """Have the mentor pick the SME's proposed time: ``<meeting>`` is then picked."""
    sme_proposed_a_meeting(w)
    mentor = db.session.get(User, w.user_ids["mentor"])
    meetings.pick(mentor, w.ids["intro"], w.ids["meeting"], FAR_FUTURE)


def job_has_a_file(w) -> None:
    """Give the SME's job (``<job>``) a file, as a finished export job has."""
    if db.session.scalars(db.select(JobFile).where(JobFile.job_id == w.ids["job"])).first():
        return
    db.session.add(JobFile(job_id=w.ids["job"], filename="puente-metrics.csv", size=2,
                           content_type="text/csv; charset=utf-8", content=b"a\n"))
    db.session.commit()


def another_admin(w) -> None:
    """Give the world a second active admin: the only one may not delete its own account
    (409 ``last_admin``, ``tests/security/test_last_admin.py``)."""
    if db.session.scalar(db.select(func.count(User.id)).where(User.role == "admin")) > 1:
        return
    accounts.create_user("second.admin@example.test", aw.PASSWORD, "admin")


def meeting_picked(w, role) -> bool:
    db.session.expire_all()
    return db.session.get(MeetingProposal, w.ids["meeting"]).picked_time is not None


def outcome_is(status: str) -> Callable:
    def check(w, role):
        db.session.expire_all()
        return db.session.get(OutcomeStep, w.ids["outcome"]).status == status
    return check


def count_of(model, n: int, *where) -> Callable:
    """Tell whether the table now holds ``n`` rows (the world holds one fewer)."""
    def check(w, role):
        db.session.expire_all()
        return db.session.scalar(db.select(func.count()).select_from(model).where(*where)) == n
    return check


def notices_read(w, role) -> bool:
    """Every notice of the role's user is read (the mentor has one: the request's)."""
    if role not in w.user_ids:
        return False
    db.session.expire_all()
    return db.session.scalar(db.select(func.count(Notice.id)).where(
        Notice.user_id == w.user_ids[role], Notice.read_at.is_(None))) == 0


def notice_read(w, role) -> bool:
    db.session.expire_all()
    return db.session.get(Notice, w.ids["notice"]).read_at is not None


def token_added(w, role) -> bool:
    owner = "sme" if role == "anonymous" else role
    return aw.token_count(w, owner) == w.token_counts[owner] + 1


def token_gone(placeholder: str) -> Callable:
    return lambda w, role: db.session.get(ApiToken, w.ids[placeholder]) is None


def account_gone(w, role) -> bool:
    return role in w.user_ids and w.user(role) is None


def sessions_ended(w, role) -> bool:
    return role in w.user_ids and w.user(role).session_epoch > 0


def locale_set(w, role) -> bool:
    return role == "anonymous" or w.user(role).locale == "fr"


def signed_up(w, role) -> bool:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.email == "newcomer@access.example")) \
        is not None


# Who asks whom in a valid introduction request, by role (staff ask for an unowned profile).
REQUESTS = {"sme": ("sme", "buyer"), "mentor": ("mentor", "other"), "buyer": ("buyer", "other"),
            "other_owner": ("other", "mentor"), "coordinator": ("other", "buyer"),
            "admin": ("other", "buyer"), "anonymous": ("sme", "buyer")}


def intro_request(w, role) -> dict:
    requester, target = REQUESTS[role]
    return {"requester_id": w.ids[requester], "target_id": w.ids[target], "message": "Hi"}


def intro_requested(w, role) -> bool:
    requester, target = REQUESTS[role]
    db.session.expire_all()
    return db.session.scalar(db.select(Introduction.id).where(
        Introduction.requester_id == w.ids[requester],
        Introduction.target_id == w.ids[target])) is not None


def match_request(w, role) -> dict:
    return {"target_id": w.ids[REQUESTS[role][1]], "message": "Hi"}


def credentials(w, role) -> dict:
    email = w.emails["sme" if role == "anonymous" else role]
    return {"email": email, "password": aw.PASSWORD, "name": "cli"}


def login_form(w, role) -> dict:
    return {k: v for k, v in credentials(w, role).items() if k != "name"}


def own_profile_form(w, role) -> dict:
    kind = aw.OWN_KIND.get(role, "sme")
    return profile_form(kind)


def profile_form(kind: str) -> dict:
    return form_data(kind, "", name=RENAMED, latitude=None, longitude=None)


def cohort_edit(w, role) -> dict:
    return {"remove": aw.proposal_status(w)[1][:1]}


def cohort_edited(w, role) -> bool:
    return aw.proposal_status(w)[1] == []


def cohort_confirmed(w, role) -> bool:
    return aw.proposal_status(w)[0] == "confirmed"


def version_active(w, role) -> bool:
    db.session.expire_all()
    return bool(db.session.scalar(db.select(ModelVersion.active).where(
        ModelVersion.version == w.ids["version"])))


def cohort_request(w, role) -> dict:
    return {"smes": {"ids": [w.ids["other"]]}, "mentors": {"ids": [w.ids["mentor"]]}}


NEW_PASSWORD = "a brand new passphrase"


def password_changed(w, role) -> bool:
    from webapp.services.accounts import password_matches

    return role in w.user_ids and password_matches(w.user(role), NEW_PASSWORD)


def reset_form(w, role) -> dict:
    from webapp.services.recovery import reset_url

    user = w.user("sme" if role == "anonymous" else role)
    token = reset_url(user.id, user.password_hash).rsplit("/", 1)[1]
    return {"token": token, "new_password": NEW_PASSWORD}


def password_reset(w, role) -> bool:
    return password_changed(w, "sme" if role == "anonymous" else role)


def forgot_form(w, role) -> dict:
    return {"email": w.emails["sme" if role == "anonymous" else role]}


RESET_MAILED = count_of(OutboxMessage, 1, OutboxMessage.template == "password_reset")


def invited(w, role) -> bool:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.email == "invitee@access.example")) \
        is not None


def buyer_deactivated(w, role) -> bool:
    return not w.user("buyer").active


def cohort_pair(w, role) -> dict:
    sme_id, mentor_id = aw.proposal_status(w)[1][0]
    return {"sme_id": str(sme_id), "mentor_id": str(mentor_id)}


def take_pair_out(w) -> None:
    """Remove the proposal's pair through the use case, so that adding it back is valid."""
    from webapp.services import cohorts

    coordinator = w.user("coordinator")
    cohorts.edit_proposal(coordinator, w.ids["cohort"], {"remove": aw.proposal_status(w)[1]})


def pair_back(w, role) -> bool:
    return aw.proposal_status(w)[1] == [[w.ids["other"], w.ids["mentor"]]]


def cohort_form(w, role) -> dict:
    return {"sme_ids": str(w.ids["other"]), "mentor_ids": str(w.ids["mentor"]),
            "min_score": "0", "mentors_per_sme": "1", "objective": "total_score",
            "language_required": "y"}


def patch_name(w, role) -> dict:
    return {"name": RENAMED}


# The profile a role's account owns, by its name in the world.
OWNER_OF = {"sme": "sme", "mentor": "mentor", "buyer": "buyer", "other_owner": "other"}


def marked(candidate: str, mark: str | None, owner: str | None = None) -> Callable:
    """Effect: the owner's (default: the role's own profile's) mark of the candidate."""
    def check(w, role) -> bool:
        if owner is None and role not in ("sme", "other_owner"):
            return False  # the pages' SME owners are the ones who mark
        db.session.expire_all()
        who = w.ids[owner or OWNER_OF[role]]
        return db.session.scalar(db.select(MatchMark.mark).where(
            MatchMark.owner_id == who, MatchMark.candidate_id == w.ids[candidate])) == mark
    return check


def owners_marked(candidate: str, mark: str, owners=("sme", "other")) -> Callable:
    """Prepare: the owners' profiles (default: the two SMEs') have marked the candidate."""
    def prepare(w) -> None:
        with write_transaction():
            for owner in owners:
                db.session.add(MatchMark(owner_id=w.ids[owner], candidate_id=w.ids[candidate],
                                         mark=mark))
    return prepare


def match_mark_rows() -> list:
    """The save and hide routes of each profile kind: its owner alone marks."""
    rows = []
    for kind, collection, candidate in (("sme", "smes", "mentor"), ("mentor", "mentors", "sme"),
                                        ("buyer", "buyers", "sme")):
        statuses = {k: 403 for k in ("sme", "mentor", "buyer")}
        rows.append(R("GET", f"/api/v1/{collection}/<{kind}>/matches/saved",
                      401, *[200 if k == kind else 403 for k in ("sme", "mentor", "buyer")],
                      200, 200, 403))
        for verb, mark in (("save", "saved"), ("hide", "hidden")):
            url = f"/api/v1/{collection}/<{kind}>/matches/<{candidate}>/{verb}"
            ok = {**statuses, kind: 200}
            rows.append(R("POST", url, 401, ok["sme"], ok["mentor"], ok["buyer"], 403, 403, 403,
                          effect=marked(candidate, mark, owner=kind)))
            gone_ = {**statuses, kind: 204}
            rows.append(R("DELETE", url, 401, gone_["sme"], gone_["mentor"], gone_["buyer"],
                          403, 403, 403, prepare=owners_marked(candidate, mark, (kind,)),
                          effect=marked(candidate, None, owner=kind)))
    return rows


# -- the table --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    method: str
    url: str
    expected: dict[str, int | str]
    body: Any = None  # a dict, or a function (world, role) -> dict
    effect: Callable | None = None  # (world, role) -> bool: the write happened
    prepare: Callable | None = None  # (world) -> None: a change the request builds on
    intro_state: str = "requested"  # the introduction's state before the request
    done_at: str | None = None  # where a page that did its work leads, when the login page

    @property
    def is_page(self) -> bool:
        return not self.url.startswith("/api/")


def R(method: str, url: str, *statuses, **options) -> Row:  # noqa: N802 - reads as a table row
    assert len(statuses) == len(aw.ROLES), f"{method} {url}: one status per role"
    return Row(method, url, dict(zip(aw.ROLES, statuses, strict=True)), **options)


ACCEPTED = {"intro_state": "accepted"}
SME_NEW = count_of(Profile, 3, Profile.kind == "sme")
MENTOR_NEW = count_of(Profile, 2, Profile.kind == "mentor")
BUYER_NEW = count_of(Profile, 2, Profile.kind == "buyer")

ROWS = [
    # method, URL,                                  anon   sme    mentor buyer  coord  admin  other
    # -- API: tokens and the caller ----------------------------------------------------------
    R("GET", "/api/v1/auth/tokens",                 401,   200,   200,   200,   200,   200,   200),
    R("POST", "/api/v1/auth/tokens",                201,   201,   201,   201,   201,   201,   201,
      body=credentials, effect=token_added),
    R("DELETE", "/api/v1/auth/tokens/<token>",      401,   204,   404,   404,   404,   404,   404,
      effect=token_gone("token")),
    R("DELETE", "/api/v1/auth/tokens/<other_token>",
                                                    401,   404,   404,   404,   404,   404,   204,
      effect=token_gone("other_token")),
    R("GET", "/api/v1/me",                          401,   200,   200,   200,   200,   200,   200),
    R("DELETE", "/api/v1/me",                       401,   204,   204,   204,   204,   204,   204,
      body={"password": aw.PASSWORD}, prepare=another_admin, effect=account_gone),
    R("GET", "/api/v1/me/export",                   401,   200,   200,   200,   200,   200,   200),
    R("POST", "/api/v1/me/verification",            401,   202,   202,   202,   202,   202,   202),
    R("POST", "/api/v1/me/password",                401,   204,   204,   204,   204,   204,   204,
      body={"current_password": aw.PASSWORD, "new_password": NEW_PASSWORD},
      effect=password_changed),
    R("POST", "/api/v1/auth/password-reset",        202,   202,   202,   202,   202,   202,   202,
      body=forgot_form, effect=RESET_MAILED),
    R("POST", "/api/v1/auth/password-reset/confirm",
                                                    204,   204,   204,   204,   204,   204,   204,
      body=reset_form, effect=password_reset),
    # -- API: reference data (public) --------------------------------------------------------
    R("GET", "/api/v1/taxonomy/naics?q=3363",       200,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/taxonomy/needs",              200,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/taxonomy/languages",          200,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/taxonomy/countries",          200,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/taxonomy/countries/MX/subdivisions",
                                                    200,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/taxonomy/certifications",     200,   200,   200,   200,   200,   200,   200),
    # -- API: profiles (anyone signed in reads active ones; owner or staff change) -----------
    R("GET", "/api/v1/smes",                        401,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/mentors",                     401,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/buyers",                      401,   200,   200,   200,   200,   200,   200),
    R("POST", "/api/v1/smes",                       401,   409,   403,   403,   201,   201,   409,
      body=PAYLOADS["sme"], effect=SME_NEW),
    R("POST", "/api/v1/mentors",                    401,   403,   409,   403,   201,   201,   403,
      body=PAYLOADS["mentor"], effect=MENTOR_NEW),
    R("POST", "/api/v1/buyers",                     401,   403,   403,   409,   201,   201,   403,
      body=PAYLOADS["buyer"], effect=BUYER_NEW),
    R("GET", "/api/v1/smes/<sme>",                  401,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/mentors/<mentor>",            401,   200,   200,   200,   200,   200,   200),
    R("GET", "/api/v1/buyers/<buyer>",              401,   200,   200,   200,   200,   200,   200),
    R("PATCH", "/api/v1/smes/<sme>",                401,   200,   403,   403,   200,   200,   403,
      body=patch_name, effect=renamed("sme")),
    R("PATCH", "/api/v1/mentors/<mentor>",          401,   403,   200,   403,   200,   200,   403,
      body=patch_name, effect=renamed("mentor")),
    R("PATCH", "/api/v1/buyers/<buyer>",            401,   403,   403,   200,   200,   200,   403,
      body=patch_name, effect=renamed("buyer")),
    R("DELETE", "/api/v1/smes/<sme>",               401,   204,   403,   403,   204,   204,   403,
      effect=gone("sme")),
    R("DELETE", "/api/v1/mentors/<mentor>",         401,   403,   204,   403,   204,   204,   403,
      effect=gone("mentor")),
    R("DELETE", "/api/v1/buyers/<buyer>",           401,   403,   403,   204,   204,   204,   403,
      effect=gone("buyer")),
    # -- API: matches (the profile's owner and staff) ----------------------------------------
    R("GET", "/api/v1/smes/<sme>/matches",          401,   200,   403,   403,   200,   200,   403),
    R("GET", "/api/v1/mentors/<mentor>/matches",    401,   403,   200,   403,   200,   200,   403),
    R("GET", "/api/v1/buyers/<buyer>/matches",      401,   403,   403,   200,   200,   200,   403),
    *match_mark_rows(),
    # -- API: introductions (parties and staff see; each side answers for itself) ------------
    R("GET", "/api/v1/introductions",               401,   200,   200,   200,   200,   200,   200),
    R("POST", "/api/v1/introductions",              401,   201,   201,   201,   201,   201,   201,
      body=intro_request, effect=intro_requested),
    R("GET", "/api/v1/introductions/<intro>",       401,   200,   200,   404,   200,   200,   404),
    R("POST", "/api/v1/introductions/<intro>/accept",
                                                    401,   403,   200,   404,   403,   403,   404,
      effect=intro_in("accepted")),
    R("POST", "/api/v1/introductions/<intro>/decline",
                                                    401,   403,   200,   404,   403,   403,   404,
      body={"reason_code": "timing"}, effect=intro_in("declined")),
    R("POST", "/api/v1/introductions/<intro>/withdraw",
                                                    401,   200,   403,   404,   403,   403,   404,
      effect=intro_in("withdrawn")),
    R("POST", "/api/v1/introductions/<intro>/complete",
                                                    401,   200,   200,   404,   403,   403,   404,
      effect=intro_in("completed"), **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/feedback",
                                                    401,   201,   201,   404,   403,   403,   404,
      body={"rating": 5, "comment": "Useful"}, effect=lambda w, r: aw.feedback_count(w) == 1,
      **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/review",
                                                    401,   403,   403,   403,   201,   201,   403,
      body={"rating": 4, "comment": "Fine", "flag": False},
      effect=lambda w, r: aw.review_count(w) == 1),
    # -- API: program staff only -------------------------------------------------------------
    R("GET", "/api/v1/models",                      401,   403,   403,   403,   200,   200,   403),
    R("POST", "/api/v1/models/<version>/activate",  401,   403,   403,   403,   200,   200,   403,
      effect=version_active),
    R("POST", "/api/v1/models/train",               401,   403,   403,   403,   202,   202,   403,
      effect=count_of(BackgroundJob, 2)),
    R("GET", "/api/v1/jobs/<job>",                  401,   200,   404,   404,   200,   200,   404),
    R("GET", "/api/v1/jobs/<job>/file",             401,   200,   404,   404,   200,   200,   404,
      prepare=job_has_a_file),
    R("POST", "/api/v1/exports",                    401,   403,   403,   403,   202,   202,   403,
      body={"export": "metrics"}, effect=count_of(BackgroundJob, 2)),
    R("POST", "/api/v1/cohorts",                    401,   403,   403,   403,   201,   201,   403,
      body=cohort_request, effect=count_of(CohortProposal, 2)),
    R("GET", "/api/v1/cohorts/<cohort>",            401,   403,   403,   403,   200,   200,   403),
    R("PATCH", "/api/v1/cohorts/<cohort>",          401,   403,   403,   403,   200,   200,   403,
      body=cohort_edit, effect=cohort_edited),
    R("POST", "/api/v1/cohorts/<cohort>/confirm",   401,   403,   403,   403,   200,   200,   403,
      effect=cohort_confirmed),
    R("GET", "/api/v1/metrics",                     401,   403,   403,   403,   200,   200,   403),
    R("GET", "/api/v1/audit",                       401,   403,   403,   403,   403,   200,   403),
    # -- API: one's own notifications --------------------------------------------------------
    R("GET", "/api/v1/notifications",               401,   200,   200,   200,   200,   200,   200),
    R("POST", "/api/v1/notifications/read",         401,   200,   200,   200,   200,   200,   200,
      body={}, effect=notices_read),
    # -- API: outcomes (parties report, the other party or staff answer) and impact (staff) -
    R("GET", "/api/v1/introductions/<intro>/outcomes",
      401, 200, 200, 404, 200, 200, 404, **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/outcomes",
      401, 201, 201, 404, 403, 403, 404, body=session_body,
      effect=count_of(OutcomeStep, 1), **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/outcomes/<outcome>/confirm",
      401, 403, 200, 404, 200, 200, 404, body={"note": "Confirmed by phone"},
      prepare=sme_reported_a_session, effect=outcome_is("confirmed"), **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/outcomes/<outcome>/dispute",
      401, 403, 200, 404, 200, 200, 404, body={"note": "It did not happen"},
      prepare=sme_reported_a_session, effect=outcome_is("disputed"), **ACCEPTED),
    # -- API: messages and meetings (the two parties only; staff do not read them) ----------
    R("GET", "/api/v1/introductions/<intro>/messages",
      401, 200, 200, 404, 403, 403, 404, **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/messages",
      401, 201, 201, 404, 403, 403, 404, body={"body": "¿Hablamos el martes?"},
      effect=count_of(IntroductionMessage, 1), **ACCEPTED),
    R("GET", "/api/v1/introductions/<intro>/meetings",
      401, 200, 200, 404, 403, 403, 404, **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/meetings",
      401, 201, 201, 404, 403, 403, 404, body={"times": [FAR_FUTURE.isoformat()]},
      effect=count_of(MeetingProposal, 1), **ACCEPTED),
    R("POST", "/api/v1/introductions/<intro>/meetings/<meeting>/pick",
      401, 403, 200, 404, 403, 403, 404, body={"time": FAR_FUTURE.isoformat()},
      prepare=sme_proposed_a_meeting, effect=meeting_picked, **ACCEPTED),
    R("GET", "/api/v1/introductions/<intro>/meetings/<meeting>.ics",
      401, 200, 200, 404, 403, 403, 404, prepare=mentor_picked_the_meeting, **ACCEPTED),
    R("GET", "/api/v1/impact",                      401,   403,   403,   403,   200,   200,   403),
    R("GET", "/api/v1/impact/rates",                401,   403,   403,   403,   200,   200,   403),
    R("PUT", "/api/v1/impact/rates/2024/MXN",       401,   403,   403,   403,   403,   200,   403,
      body={"units_per_usd": "18.3", "source": "Access matrix"}, effect=count_of(UsdRate, 1)),
    R("GET", "/api/v1/program/rules",               401,   403,   403,   403,   200,   200,   403),
    R("PUT", "/api/v1/program/rules",               401,   403,   403,   403,   200,   200,   403,
      body=RULES_BODY, effect=count_of(ProgramRule, 1, ProgramRule.min_score == 0.3)),
    R("PATCH", "/api/v1/program/rules",             401,   403,   403,   403,   200,   200,   403,
      body=RULES_BODY, effect=count_of(ProgramRule, 1, ProgramRule.min_score == 0.3)),
    R("POST", "/api/v1/program/rules/preview",      401,   403,   403,   403,   200,   200,   403,
      body=RULES_BODY),
    # -- pages: public, sign-up, sign-in, account --------------------------------------------
    R("GET", "/",                                   200,   200,   200,   200,   200,   200,   200),
    R("GET", "/signup",                             200,   AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    R("POST", "/signup",                            302,   AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,
      body={"role": "sme", "email": "newcomer@access.example", "password": aw.PASSWORD,
            "locale": "es"}, effect=signed_up, done_at="/login?next="),
    R("GET", "/login",                              200,   200,   200,   200,   200,   200,   200),
    R("POST", "/login",                             302,   302,   302,   302,   302,   302,   302,
      body=login_form),
    R("GET", "/password/forgot",                    200,   200,   200,   200,   200,   200,   200),
    R("POST", "/password/forgot",                   302,   302,   302,   302,   302,   302,   302,
      body=forgot_form, effect=RESET_MAILED, done_at="/login"),
    R("GET", "/password/reset/not-a-token",         400,   400,   400,   400,   400,   400,   400),
    R("POST", "/password/reset/not-a-token",        400,   400,   400,   400,   400,   400,   400,
      body={"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}),
    R("GET", "/verify/not-a-token",                 400,   400,   400,   400,   400,   400,   400),
    R("POST", "/account/verification",              LOGIN, 302,   302,   302,   302,   302,   302),
    R("GET", "/introductions/<intro>",              LOGIN, 302,   302,   404,   302,   302,   404),
    R("GET", "/users",                              LOGIN, 403,   403,   403,   403,   200,   403),
    R("POST", "/users/invite",                      LOGIN, 403,   403,   403,   403,   302,   403,
      body={"email": "invitee@access.example", "role": "coordinator", "locale": "es"},
      effect=invited),
    R("POST", "/users/<buyer_user>/deactivate",     LOGIN, 403,   403,   403,   403,   302,   403,
      effect=buyer_deactivated),
    R("GET", "/invitation/not-a-token",             400,   400,   400,   400,   400,   400,   400),
    R("POST", "/invitation/not-a-token",            400,   400,   400,   400,   400,   400,   400,
      body={"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}),
    R("POST", "/logout",                            LOGIN, 302,   302,   302,   302,   302,   302,
      effect=sessions_ended),
    R("POST", "/language",                          302,   302,   302,   302,   302,   302,   302,
      body={"lang": "fr", "next": "/"}, effect=locale_set),
    R("GET", "/account",                            LOGIN, 200,   200,   200,   200,   200,   200),
    R("POST", "/account/tokens",                    LOGIN, 201,   201,   201,   201,   201,   201,
      body={"name": "laptop"}, effect=token_added),
    R("POST", "/account/tokens/<token>/revoke",     LOGIN, 302,   404,   404,   404,   404,   404,
      effect=token_gone("token")),
    R("POST", "/account/tokens/<other_token>/revoke",
                                                    LOGIN, 404,   404,   404,   404,   404,   302,
      effect=token_gone("other_token")),
    R("GET", "/account/export",                     LOGIN, 200,   200,   200,   200,   200,   200),
    R("GET", "/notifications",                      LOGIN, 200,   200,   200,   200,   200,   200),
    R("GET", "/notifications/<notice>",             LOGIN, 404,   302,   404,   404,   404,   404,
      effect=notice_read),
    R("POST", "/notifications/read",                LOGIN, 302,   302,   302,   302,   302,   302,
      effect=notices_read),
    R("POST", "/account/password",                  LOGIN, 302,   302,   302,   302,   302,   302,
      body={"current_password": aw.PASSWORD, "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD}, effect=password_changed),
    R("POST", "/account/delete",                    LOGIN, 302,   302,   302,   302,   302,   302,
      body={"delete_password": aw.PASSWORD, "delete_confirm": "y"}, prepare=another_admin,
      effect=account_gone),
    # -- pages: profiles ---------------------------------------------------------------------
    R("GET", "/profile",                            LOGIN, 200,   200,   200,   AWAY,  AWAY,  200),
    R("POST", "/profile",                           LOGIN, 302,   302,   302,   AWAY,  AWAY,  302,
      body=own_profile_form, effect=own_renamed),
    R("GET", "/profiles",                           LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/profiles/new/<kind>",                LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/profiles/new/<kind>",               LOGIN, 403,   403,   403,   302,   302,   403,
      body=profile_form("sme"), effect=SME_NEW),
    R("GET", "/profiles/<sme>",                     LOGIN, 200,   200,   200,   200,   200,   200),
    R("GET", "/profiles/<sme>/edit",                LOGIN, 200,   403,   403,   200,   200,   403),
    R("POST", "/profiles/<sme>/edit",               LOGIN, 302,   403,   403,   302,   302,   403,
      body=profile_form("sme"), effect=renamed("sme")),
    # -- pages: matches and introductions ----------------------------------------------------
    R("GET", "/matches",                            LOGIN, 200,   200,   200,   AWAY,  AWAY,  200),
    R("POST", "/matches",                           LOGIN, 302,   302,   302,   AWAY,  AWAY,  302,
      body=match_request, effect=intro_requested),
    R("GET", "/matches/saved",                      LOGIN, 200,   200,   200,   AWAY,  AWAY,  200),
    R("POST", "/matches/<mentor>/save",             LOGIN, 303,   404,   404,   AWAY,  AWAY,  303,
      effect=marked("mentor", "saved")),
    R("POST", "/matches/<mentor>/hide",             LOGIN, 303,   404,   404,   AWAY,  AWAY,  303,
      effect=marked("mentor", "hidden")),
    R("POST", "/matches/<mentor>/unsave",           LOGIN, 303,   404,   404,   AWAY,  AWAY,  303,
      prepare=owners_marked("mentor", "saved"), effect=marked("mentor", None)),
    R("POST", "/matches/<mentor>/unhide",           LOGIN, 303,   404,   404,   AWAY,  AWAY,  303,
      prepare=owners_marked("mentor", "hidden"), effect=marked("mentor", None)),
    R("GET", "/introductions",                      LOGIN, 200,   200,   200,   AWAY,  AWAY,  200),
    R("POST", "/introductions/<intro>/outcomes",    LOGIN, 302,   302,   404,   AWAY,  AWAY,  404,
      body=lambda w, r: {**session_body(), "minutes": "30"}, effect=count_of(OutcomeStep, 1),
      **ACCEPTED),
    R("POST", "/introductions/<intro>/outcomes/<outcome>/confirm",
      LOGIN, AWAY, 302, 404, 302, 302, 404, body={"note": "Confirmed by phone"},
      prepare=sme_reported_a_session, effect=outcome_is("confirmed"), **ACCEPTED),
    R("POST", "/introductions/<intro>/outcomes/<outcome>/dispute",
      LOGIN, AWAY, 302, 404, 302, 302, 404, body={"note": "It did not happen"},
      prepare=sme_reported_a_session, effect=outcome_is("disputed"), **ACCEPTED),
    R("POST", "/introductions/<intro>/accept",      LOGIN, AWAY,  302,   404,   AWAY,  AWAY,  404,
      effect=intro_in("accepted")),
    R("POST", "/introductions/<intro>/decline",     LOGIN, AWAY,  302,   404,   AWAY,  AWAY,  404,
      body={"reason_code": "timing"}, effect=intro_in("declined")),
    R("POST", "/introductions/<intro>/withdraw",    LOGIN, 302,   AWAY,  404,   AWAY,  AWAY,  404,
      effect=intro_in("withdrawn")),
    R("POST", "/introductions/<intro>/complete",    LOGIN, 302,   302,   404,   AWAY,  AWAY,  404,
      effect=intro_in("completed"), **ACCEPTED),
    R("POST", "/introductions/<intro>/feedback",    LOGIN, 302,   302,   404,   AWAY,  AWAY,  404,
      body={"rating": "5", "comment": "Useful"}, effect=lambda w, r: aw.feedback_count(w) == 1,
      **ACCEPTED),
    R("POST", "/introductions/<intro>/turn_down",   LOGIN, 302,   AWAY,  404,   AWAY,  AWAY,  404,
      effect=intro_in("withdrawn")),
    R("GET", "/introductions/<intro>/conversation", LOGIN, 200,   200,   404,   403,   403,   404,
      **ACCEPTED),
    R("POST", "/introductions/<intro>/conversation/messages",
      LOGIN, 302, 302, 404, 403, 403, 404, body={"body": "¿Hablamos el martes?"},
      effect=count_of(IntroductionMessage, 1), **ACCEPTED),
    R("POST", "/introductions/<intro>/conversation/meetings",
      LOGIN, 302, 302, 404, 403, 403, 404, body={"time_1": "2099-01-01T10:00", "minutes": "60"},
      effect=count_of(MeetingProposal, 1), **ACCEPTED),
    R("POST", "/introductions/<intro>/conversation/meetings/<meeting>/pick",
      LOGIN, 403, 302, 404, 403, 403, 404, prepare=sme_proposed_a_meeting,
      body=lambda w, r: {f"pick-{w.ids['meeting']}-time": FAR_FUTURE.isoformat()},
      effect=meeting_picked, **ACCEPTED),
    # -- pages: program staff ----------------------------------------------------------------
    R("GET", "/dashboard",                          LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/dashboard/<intro>/review",          LOGIN, 403,   403,   403,   302,   302,   403,
      body={"rating": "4", "comment": "Fine"}, effect=lambda w, r: aw.review_count(w) == 1),
    R("POST", "/dashboard/<intro>/outcomes/<outcome>/confirm",
      LOGIN, 403, 403, 403, 302, 302, 403, body={"note": "Confirmed by phone"},
      prepare=sme_reported_a_session, effect=outcome_is("confirmed"), **ACCEPTED),
    R("GET", "/dashboard/metrics",                  LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/review-queue",                       LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/review-queue?show=flagged&show=waiting",
                                                    LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/dashboard/metrics.csv",              LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/dashboard/introductions.csv",        LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/impact",                             LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/impact.csv",                         LOGIN, 403,   403,   403,   200,   200,   403),
    R("GET", "/model",                              LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/model/train",                       LOGIN, 403,   403,   403,   303,   303,   403,
      effect=count_of(BackgroundJob, 2)),
    R("GET", "/jobs/<job>",                         LOGIN, 200,   404,   404,   200,   200,   404),
    R("GET", "/jobs/<job>/download",                LOGIN, 200,   404,   404,   200,   200,   404,
      prepare=job_has_a_file),
    R("POST", "/dashboard/exports",                 LOGIN, 403,   403,   403,   303,   303,   403,
      body={"export": "metrics"}, effect=count_of(BackgroundJob, 2)),
    R("POST", "/impact/export",                     LOGIN, 403,   403,   403,   303,   303,   403,
      body={"export": "impact"}, effect=count_of(BackgroundJob, 2)),
    R("GET", "/impact/rates",                       LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/impact/rates",                      LOGIN, 403,   403,   403,   403,   302,   403,
      body={"year": "2024", "currency": "MXN", "units_per_usd": "18.3",
            "source": "Access matrix"}, effect=count_of(UsdRate, 1)),
    R("GET", "/program/rules",                      LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/program/rules",                     LOGIN, 403,   403,   403,   302,   302,   403,
      body={"version": "0", "action": "save", "sme_mentor.min_score": "0.3"},
      effect=count_of(ProgramRule, 1, ProgramRule.min_score == 0.3)),
    R("GET", "/cohorts",                            LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/cohorts",                           LOGIN, 403,   403,   403,   303,   303,   403,
      body=cohort_form, effect=count_of(BackgroundJob, 2)),  # the allocation, queued
    R("GET", "/cohorts/<cohort>",                   LOGIN, 403,   403,   403,   200,   200,   403),
    R("POST", "/cohorts/<cohort>/remove",           LOGIN, 403,   403,   403,   302,   302,   403,
      body=cohort_pair, effect=cohort_edited),
    R("POST", "/cohorts/<cohort>/add",              LOGIN, 403,   403,   403,   302,   302,   403,
      prepare=take_pair_out, body=lambda w, r: {"sme_id": str(w.ids["other"]),
                                                "mentor_id": str(w.ids["mentor"])},
      effect=pair_back),
    R("POST", "/cohorts/<cohort>/confirm",          LOGIN, 403,   403,   403,   302,   302,   403,
      effect=cohort_confirmed),
]

# Rules anyone may use, listed here rather than in the matrix: assets and the API's docs.
PUBLIC = {
    ("GET", "/static/<path:filename>"): "/static/puente.css",
    ("GET", "/api/v1/swagger-ui/<path:filename>"): "/api/v1/swagger-ui/swagger-ui.css",
    ("GET", "/api/v1/openapi.json"): "/api/v1/openapi.json",
    ("GET", "/api/v1/docs"): "/api/v1/docs",
}
SAMPLE = {"kind": "sme", "version": "v1"}  # placeholders that are not integer ids
CASES = [pytest.param(row, role, id=f"{row.method} {row.url} as {role}")
         for row in ROWS for role in aw.ROLES]


# -- the world, built once and rebuilt only after something changed it -----------------------

@dataclass
class Matrix:
    app: Any
    world: aw.World | None = None
    pristine: dict = field(default_factory=dict)
    variant: tuple = ()

    def world_for(self, row: Row) -> aw.World:
        """Return the world the row needs (see ``build``)."""
        return self.build(row.intro_state)

    def build(self, intro_state: str = "requested", feedback: bool = False) -> aw.World:
        """Return the world as built, rebuilding it if a test changed it."""
        if self.world is None or (intro_state, feedback) != self.variant \
                or aw.snapshot() != self.pristine:
            empty_tables()
            forget_state()
            self.world = aw.build_world(intro_state, feedback)
            self.variant, self.pristine = (intro_state, feedback), aw.snapshot()
        return self.world


def empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(scope="module")
def matrix(database_url):
    from tests.conftest import FreshContextClient

    app = create_app(app_config(database_url))
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield Matrix(app)
        empty_tables()
        db.engine.dispose()


def send(client, world: aw.World, row: Row, role: str, url: str | None = None):
    """Send the row's request as the role: a bearer token for the API, a session for pages."""
    body = row.body(world, role) if callable(row.body) else row.body
    url = url or world.url(row.url)
    if not row.is_page:
        headers = {} if role == "anonymous" else world.headers[role]
        return client.open(url, method=row.method, json=body, headers=headers)
    if row.method == "GET":
        return client.get(url)
    data = {**(body or {}), "csrf_token": csrf_token(client, "/login")}
    return client.open(url, method=row.method, data=data)


@pytest.mark.parametrize(("row", "role"), CASES)
def test_access(matrix, row: Row, role: str):
    world = matrix.world_for(row)
    client = matrix.app.test_client()
    if row.is_page:
        aw.sign_in(client, world, role)
    if row.prepare is not None:
        row.prepare(world)
    before = aw.snapshot()
    response = send(client, world, row, role)
    expected = row.expected[role]
    location = response.headers.get("Location", "")
    shown = f"{response.status_code} {location} {response.get_data(as_text=True)[:300]}"
    if expected in (LOGIN, AWAY):
        assert response.status_code == 302, shown
        assert location.startswith("/login") == (expected == LOGIN), shown
    else:
        assert response.status_code == expected, shown
    allowed = isinstance(expected, int) and expected < 400
    if allowed and row.effect is not None:
        assert row.effect(world, role), f"{row.method} {row.url} as {role}: nothing changed"
    elif not allowed:
        assert not (row.effect and row.effect(world, role))
        assert aw.snapshot() == before, "a refused request changed the database"
    if allowed and response.status_code == 302:
        assert location.startswith(row.done_at) if row.done_at else \
            not location.startswith("/login"), shown


def test_every_route_of_the_app_is_in_the_matrix(matrix):
    """A route nobody decided the access of fails here (adding a route = adding a row)."""
    adapter = matrix.app.url_map.bind("localhost")
    covered = set(PUBLIC)
    for row in ROWS:
        path = re.sub(r"<(\w+)>", lambda m: SAMPLE.get(m[1], "1"), row.url.split("?")[0])
        rule, _ = adapter.match(path, method=row.method, return_rule=True)
        covered.add((row.method, rule.rule))
    routes = {(method, rule.rule) for rule in matrix.app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - covered == set(), "routes without a row in the access matrix"


def test_every_write_in_the_matrix_says_what_it_changes():
    """A write allowed to someone without an ``effect`` could succeed doing nothing."""
    no_effect = [f"{row.method} {row.url}" for row in ROWS
                 if row.method != "GET" and row.effect is None and any(
                     isinstance(s, int) and s < 400 for s in row.expected.values())]
    # signing in writes nothing one could check; a preview of program rules writes nothing;
    # the world's accounts are verified, so asking for the link again sends nothing
    # (tests/webapp/test_verification.py sends it to an unverified account)
    assert no_effect == ["POST /api/v1/me/verification", "POST /api/v1/program/rules/preview",
                         "POST /login", "POST /account/verification"]


API_READS = [pytest.param(row, id=f"{row.method} {row.url}") for row in ROWS
             if not row.is_page and row.method == "GET"]


@pytest.mark.parametrize("row", API_READS)
def test_the_api_answers_a_session_cookie_as_it_answers_a_token(matrix, row):
    """Signed in through the login page, each role reads the API as with its API token."""
    world = matrix.world_for(row)
    if row.prepare is not None:
        row.prepare(world)
    for role in aw.ROLES[1:]:
        client = matrix.app.test_client()
        aw.sign_in(client, world, role)
        assert client.get(world.url(row.url)).status_code == row.expected[role], role


@pytest.mark.parametrize(("rule", "url"), list(PUBLIC.items()), ids=lambda v: str(v))
def test_public_rules_answer_anyone(matrix, rule, url):
    with matrix.app.test_client().get(url) as response:
        assert response.status_code == 200


# -- object level: nobody reads or changes another user's profile, introduction, feedback or
# token, and a refusal says no more than a missing object would --------------------------------

MISSING_ID = "987654"
OBJECT_PLACEHOLDERS = ("<sme>", "<intro>", "<token>", "<cohort>", "<meeting>")
LEAK_CASES = [pytest.param(row, role, id=f"{row.method} {row.url} as {role}")
              for row in ROWS if any(p in row.url for p in OBJECT_PLACEHOLDERS)
              for role in ("other_owner", "buyer")]


def hide_sme_profile(world: aw.World) -> None:
    profile = world.profile("sme")
    profile.active = False
    db.session.commit()


@pytest.mark.parametrize(("row", "role"), LEAK_CASES)
def test_another_users_object_answers_as_if_it_did_not_exist(matrix, row, role):
    """other_owner and the buyer get the same answer for the sme's hidden profile, its
    introduction, its token or a cohort as for an id that does not exist."""
    world = matrix.world_for(row)
    if row.prepare is not None:
        row.prepare(world)
    if "<sme>" in row.url:
        hide_sme_profile(world)
    before = aw.snapshot()
    missing = row.url
    for placeholder in OBJECT_PLACEHOLDERS:
        missing = missing.replace(placeholder, MISSING_ID)
    answers = []
    for url in (world.url(row.url), world.url(missing)):
        client = matrix.app.test_client()
        if row.is_page:
            aw.sign_in(client, world, role)
        response = send(client, world, row, role, url)
        error = (response.get_json(silent=True) or {}).get("error", {}).get("code")
        answers.append((response.status_code, response.headers.get("Location"), error))
    assert answers[0] == answers[1]
    assert answers[0][0] >= 400
    assert aw.snapshot() == before


def get_json(matrix, world, role, url):
    response = matrix.app.test_client().get(world.url(url), headers=world.headers[role])
    return response.status_code, response.get_json()


@pytest.mark.parametrize(("role", "sees_contacts", "sees_ownership"), [
    ("sme", True, True), ("admin", True, True), ("coordinator", False, True),
    ("mentor", False, False), ("buyer", False, False), ("other_owner", False, False)])
def test_contact_details_and_ownership_of_a_profile(matrix, role, sees_contacts,
                                                    sees_ownership):
    world = matrix.build()
    status, body = get_json(matrix, world, role, "/api/v1/smes/<sme>")
    assert status == 200 and body["name"] == PAYLOADS["sme"]["name"]
    assert ("contact_email" in body) == sees_contacts
    assert ("ownership" in body) == sees_ownership
    listed = get_json(matrix, world, role, "/api/v1/smes?per_page=100")[1]["items"]
    shown = next(p for p in listed if p["id"] == world.ids["sme"])
    assert ("contact_email" in shown) == sees_contacts
    client = matrix.app.test_client()
    aw.sign_in(client, world, role)
    html = client.get(world.url("/profiles/<sme>")).get_data(as_text=True)
    assert (PAYLOADS["sme"]["contact_email"] in html) == sees_contacts


def test_contacts_in_an_introduction_only_once_both_said_yes(matrix):
    world = matrix.build()
    contact = PAYLOADS["mentor"]["contact_email"]
    for role in ("sme", "mentor", "coordinator", "admin"):
        body = get_json(matrix, world, role, "/api/v1/introductions/<intro>")[1]
        assert contact not in str(body), role
    world = matrix.build("accepted")
    for role, sees in (("sme", True), ("mentor", True), ("admin", True),
                       ("coordinator", False)):
        body = get_json(matrix, world, role, "/api/v1/introductions/<intro>")[1]
        assert (body["target"].get("contact_email") == contact) == sees, role
    assert get_json(matrix, world, "other_owner", "/api/v1/introductions/<intro>")[0] == 404


def test_feedback_is_read_by_its_author_and_staff_only(matrix):
    world = matrix.build("accepted", feedback=True)
    comment = "Rosa was very helpful"
    for role, sees in (("sme", True), ("coordinator", True), ("admin", True),
                       ("mentor", False)):
        body = get_json(matrix, world, role, "/api/v1/introductions/<intro>")[1]
        assert (comment in str(body["feedback"])) == sees, role
    for role in ("other_owner", "buyer", "mentor"):
        listed = get_json(matrix, world, role, "/api/v1/introductions?per_page=100")[1]
        exported = get_json(matrix, world, role, "/api/v1/me/export")[1]
        assert comment not in str(listed) and comment not in str(exported), role
        client = matrix.app.test_client()
        aw.sign_in(client, world, role)
        assert comment not in client.get("/introductions").get_data(as_text=True)


def test_introductions_of_others_are_not_listed_even_when_filtered(matrix):
    world = matrix.build()
    for role in ("other_owner", "buyer"):
        url = f"/api/v1/introductions?profile_id={world.ids['sme']}"
        assert get_json(matrix, world, role, url)[1]["total"] == 0, role
    assert get_json(matrix, world, "sme", "/api/v1/introductions")[1]["total"] == 1


def test_nobody_requests_an_introduction_for_another_users_profile(matrix):
    world = matrix.build()
    before = aw.snapshot()
    for role in ("other_owner", "mentor", "buyer"):
        response = matrix.app.test_client().post(
            "/api/v1/introductions", headers=world.headers[role],
            json={"requester_id": world.ids["sme"], "target_id": world.ids["buyer"]})
        assert response.status_code == 403, role
    assert aw.snapshot() == before


def test_tokens_of_others_are_neither_listed_nor_revoked(matrix):
    world = matrix.build()
    mine = get_json(matrix, world, "other_owner", "/api/v1/auth/tokens")[1]["items"]
    assert [t["id"] for t in mine] == [world.ids["other_token"]]
    sme_tokens = {t["id"] for t in get_json(matrix, world, "sme", "/api/v1/auth/tokens")[1][
        "items"]}
    assert world.ids["token"] in sme_tokens and world.ids["other_token"] not in sme_tokens


def test_a_hidden_profile_is_not_revealed_by_an_introduction_request(matrix):
    """Asking on behalf of someone's hidden profile answers as for a profile that does not exist
    (an active profile is public, so asking for it is plainly 403)."""
    world = matrix.build()
    hide_sme_profile(world)
    before = aw.snapshot()
    answers = []
    for requester in (world.ids["sme"], int(MISSING_ID)):
        response = matrix.app.test_client().post(
            "/api/v1/introductions", headers=world.headers["other_owner"],
            json={"requester_id": requester, "target_id": world.ids["buyer"]})
        answers.append((response.status_code, response.get_json()["error"]["fields"].keys()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422 and list(answers[0][1]) == ["requester_id"]
    assert aw.snapshot() == before


def test_a_hidden_profile_is_not_listed_searched_or_ranked_for_others(matrix):
    world = matrix.build()
    hide_sme_profile(world)
    name = PAYLOADS["sme"]["name"]
    for role in ("other_owner", "mentor", "buyer"):
        for query in ("active=false", f"q={name.split()[0]}", "per_page=100"):
            body = get_json(matrix, world, role, f"/api/v1/smes?{query}")[1]
            assert world.ids["sme"] not in [p["id"] for p in body["items"]], (role, query)
    ranked = get_json(matrix, world, "mentor", "/api/v1/mentors/<mentor>/matches?kind=sme")[1]
    assert world.ids["sme"] not in [m["profile"]["id"] for m in ranked["matches"]]
    assert world.ids["other"] in [m["profile"]["id"] for m in ranked["matches"]]
    staff = get_json(matrix, world, "coordinator", "/api/v1/smes?active=false")[1]
    assert [p["id"] for p in staff["items"]] == [world.ids["sme"]]


def test_rankings_show_no_contact_details_or_ownership(matrix):
    world = matrix.build()
    ranked = get_json(matrix, world, "mentor", "/api/v1/mentors/<mentor>/matches?kind=sme")[1]
    shown = next(m["profile"] for m in ranked["matches"] if m["profile"]["id"] == world.ids["sme"])
    assert shown["name"] == PAYLOADS["sme"]["name"]
    assert not {"contact_email", "contact_phone", "ownership"} & shown.keys()
    assert PAYLOADS["sme"]["contact_email"] not in str(ranked)


def test_an_export_holds_no_counterpart_contact_before_both_said_yes(matrix):
    world = matrix.build()
    exported = get_json(matrix, world, "sme", "/api/v1/me/export")[1]
    assert PAYLOADS["sme"]["contact_email"] in str(exported)  # one's own, of course
    assert PAYLOADS["mentor"]["contact_email"] not in str(exported)
    mentor_export = get_json(matrix, world, "mentor", "/api/v1/me/export")[1]
    assert PAYLOADS["sme"]["contact_email"] not in str(mentor_export)
