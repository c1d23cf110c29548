"""The world of the access tests: one signed-up user (and profile) per role, an introduction
between the SME and the mentor, API tokens, a cohort proposal, a stored model version and a
job the SME started.

Every ``<placeholder>`` of an access-matrix URL names an object of this world; the objects a
URL acts on belong to the "sme" role (or to the mentor, for the target's side of an
introduction), and "other_owner" is a second SME owner with a profile of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models import (
    ApiToken,
    BackgroundJob,
    CohortProposal,
    Introduction,
    IntroductionFeedback,
    IntroductionReview,
    Notice,
    Profile,
    User,
    db,
)
from tests.factories import login, payload
from webapp.schemas.profiles import PROFILE_SCHEMAS
from webapp.services import accounts, cohorts, introductions, model_store
from webapp.services import introduction_states as states
from webapp.services import profiles as profile_service
from webapp.services.matching import matching_state

PASSWORD = "correct horse battery"
ROLES = ("anonymous", "sme", "mentor", "buyer", "coordinator", "admin", "other_owner")
ACCOUNT_ROLE = {"other_owner": "sme"}  # the account role behind each matrix role
OWN_KIND = {"sme": "sme", "mentor": "mentor", "buyer": "buyer", "other_owner": "sme"}
# Columns that a request may touch without changing anything a user owns.
VOLATILE = {("api_tokens", "last_used_at"), ("users", "last_login_at"),
            ("users", "previous_login_at")}
IGNORED_TABLES = {"audit_log"}  # refusals are audited on purpose


@dataclass
class World:
    """Ids of the objects of the access tests, by role and by URL placeholder."""

    user_ids: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    token_counts: dict[str, int] = field(default_factory=dict)

    def url(self, template: str) -> str:
        """Return the URL with every ``<placeholder>`` replaced by its object's id."""
        for name, value in self.ids.items():
            template = template.replace(f"<{name}>", str(value))
        return template

    def user(self, role: str) -> User | None:
        """Return the role's user as the database has it now."""
        db.session.expire_all()
        return db.session.get(User, self.user_ids[role]) if role in self.user_ids else None

    def profile(self, name: str) -> Profile | None:
        db.session.expire_all()
        return db.session.get(Profile, self.ids[name])

    def intro(self) -> Introduction:
        db.session.expire_all()
        return db.session.get(Introduction, self.ids["intro"])


def build_world(intro_state: str = "requested", feedback: bool = False) -> World:
    """Create the users, profiles, tokens, introduction, cohort and model version."""
    world = World()
    profile_ids: dict[str, int] = {}
    for role in ROLES[1:]:
        account_role = ACCOUNT_ROLE.get(role, role)
        email = f"{role.replace('_', '-')}@access.example"
        user = accounts.create_user(email, PASSWORD, account_role)
        world.user_ids[role], world.emails[role] = user.id, email
        _, secret = accounts.issue_token(user, "matrix")
        world.headers[role] = {"Authorization": f"Bearer {secret}"}
        if role in OWN_KIND:
            kind = OWN_KIND[role]
            changes = {"name": "Otra Pyme SA", "contact_email": "otra@pyme.example"} \
                if role == "other_owner" else {}
            # Coordinates given: the city look-up is tested elsewhere and costs time here.
            data = PROFILE_SCHEMAS[kind]().load(payload(kind, latitude=31.7, longitude=-106.4,
                                                        **changes))
            profile_ids[role] = profile_service.create_profile(user, kind, data).id
    world.ids.update(sme=profile_ids["sme"], mentor=profile_ids["mentor"],
                     buyer=profile_ids["buyer"], other=profile_ids["other_owner"], kind="sme")
    sme, mentor = (db.session.get(User, world.user_ids[r]) for r in ("sme", "mentor"))
    spare, _ = accounts.issue_token(sme, "spare")
    world.ids["token"] = spare.id
    world.ids["buyer_user"] = world.user_ids["buyer"]
    world.ids["other_token"] = db.session.scalar(db.select(ApiToken.id).where(
        ApiToken.user_id == world.user_ids["other_owner"]))
    intro = introductions.create_introduction(sme, {"requester_id": world.ids["sme"],
                                                    "target_id": world.ids["mentor"],
                                                    "message": "Hola Rosa"})
    world.ids["intro"] = intro.id
    # The request's in-app notice, the mentor's.
    world.ids["notice"] = db.session.scalar(db.select(Notice.id).where(
        Notice.user_id == world.user_ids["mentor"]))
    if intro_state in ("accepted", "completed"):
        states.accept(mentor, intro.id)
        if feedback:
            introductions.add_feedback(sme, intro.id, 4, "Rosa was very helpful")
    if intro_state == "completed":
        states.complete(sme, intro.id)
    coordinator = db.session.get(User, world.user_ids["coordinator"])
    proposal = cohorts.propose(coordinator, {"smes": {"ids": [world.ids["other"]]},
                                             "mentors": {"ids": [world.ids["mentor"]]}})
    world.ids["cohort"] = proposal.id
    row = model_store.store(matching_state().bundle)
    job = BackgroundJob(id="a" * 32, kind="train-model", started_by_id=world.user_ids["sme"],
                        params={}, attempts=0, state="finished", progress=100, stage="done")
    db.session.add(job)  # a job the SME started: its starter and staff follow it
    db.session.commit()
    world.ids["version"] = row.version
    world.ids["job"] = job.id
    world.token_counts = {role: _token_count(uid) for role, uid in world.user_ids.items()}
    return world


def _token_count(user_id: int) -> int:
    return len(db.session.scalars(db.select(ApiToken.id).where(ApiToken.user_id == user_id))
               .all())


def token_count(world: World, role: str) -> int:
    """Return how many API tokens the role's user has now."""
    return _token_count(world.user_ids[role])


def snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table (less the audit log and volatile columns)."""
    db.session.expire_all()
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name in IGNORED_TABLES:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
        rows = db.session.execute(db.select(*columns)).all()
        out[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return out


def proposal_status(world: World) -> tuple[str, list]:
    """Return the cohort proposal's status and pairs."""
    db.session.expire_all()
    proposal = db.session.get(CohortProposal, world.ids["cohort"])
    return proposal.status, [[p["sme_id"], p["mentor_id"]] for p in proposal.result["pairs"]]


def review_count(world: World) -> int:
    return len(db.session.scalars(db.select(IntroductionReview.id).where(
        IntroductionReview.introduction_id == world.ids["intro"])).all())


def feedback_count(world: World) -> int:
    return len(db.session.scalars(db.select(IntroductionFeedback.id).where(
        IntroductionFeedback.introduction_id == world.ids["intro"])).all())


def sign_in(client, world: World, role: str) -> None:
    """Sign the client in as the role through the login form (anonymous: do nothing)."""
    if role != "anonymous":
        response = login(client, world.emails[role], PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
