"""No page, API answer, export or e-mail shows a role contact details it may not see.

Every GET of the access matrix (plus each profile's page, editor and API item, and the staff
list of each kind) is rendered for every role, with the introduction of the access world
requested and then accepted, and searched for the contact e-mail and phone of each profile.

Who may see a profile's contacts (README, "Privacy"): its owner and admins, and the other
party of an accepted introduction. Coordinators never do. The expectation below is written
out here, not asked of the policy, so that a wrong policy fails too.
"""

from __future__ import annotations

import pytest

from models import OutboxMessage, Profile, db
from tests.factories import app_config
from tests.security import access_world as aw
from tests.security.test_access_matrix import ROWS, empty_tables
from webapp import create_app
from webapp.services.matching import forget_state

PROFILES = ("sme", "mentor", "buyer", "other")  # the world's profiles, by placeholder
OWNED_BY = {"sme": "sme", "mentor": "mentor", "buyer": "buyer", "other_owner": "other"}
COLLECTIONS = {"sme": "smes", "mentor": "mentors", "buyer": "buyers", "other": "smes"}
KINDS = {"sme": "sme", "mentor": "mentor", "buyer": "buyer", "other": "sme"}
PARTIES = ("sme", "mentor")  # the two sides of the world's introduction


def may_see(role: str, profile: str, intro_state: str) -> bool:
    """Tell whether the role may see the profile's contact details."""
    if role == "admin" or OWNED_BY.get(role) == profile:
        return True
    return intro_state == "accepted" and OWNED_BY.get(role) in PARTIES and profile in PARTIES


def urls(world: aw.World) -> list[str]:
    """Return every page and API answer a GET can read, for the world's objects."""
    listed = [world.url(row.url) for row in ROWS if row.method == "GET"]
    for name in PROFILES:
        profile_id = world.ids[name]
        listed += [f"/profiles/{profile_id}", f"/profiles/{profile_id}/edit",
                   f"/api/v1/{COLLECTIONS[name]}/{profile_id}",
                   f"/profiles?kind={KINDS[name]}"]
    return sorted(set(listed))


def give_each_profile_its_own_contacts(world: aw.World) -> dict[str, tuple[str, str]]:
    """Give every profile a phone of its own (the e-mails differ already); return both."""
    contacts = {}
    for number, name in enumerate(PROFILES):
        profile = db.session.get(Profile, world.ids[name])
        profile.contact_phone = f"+1 915 555 01{number}7"
        contacts[name] = (profile.contact_email, profile.contact_phone)
    db.session.commit()
    return contacts


def read_everything(client, world: aw.World, role: str) -> list[tuple[str, str]]:
    """Return (url, text) of every page (signed in) and API answer (by token) the role reads."""
    headers = world.headers.get(role, {})
    aw.sign_in(client, world, role)
    answers = []
    for url in urls(world):
        response = client.get(url, headers=headers if url.startswith("/api/") else {})
        answers.append((url, response.get_data(as_text=True)))
    return answers


def outbox_of(world: aw.World, role: str) -> list[tuple[str, str]]:
    """Return (subject, text) of every e-mail written to the role's user."""
    if role not in world.user_ids:
        return []
    messages = db.session.scalars(db.select(OutboxMessage).where(
        OutboxMessage.user_id == world.user_ids[role])).all()
    return [(m.subject, f"{m.subject}\n{m.body}") for m in messages]


@pytest.fixture(scope="module")
def app(database_url):
    from tests.conftest import FreshContextClient

    app = create_app(app_config(database_url))
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        empty_tables()
        db.engine.dispose()


@pytest.mark.parametrize("intro_state", ["requested", "accepted"])
def test_no_role_reads_contact_details_it_may_not_see(app, intro_state):
    empty_tables()
    forget_state()
    world = aw.build_world(intro_state)
    contacts = give_each_profile_its_own_contacts(world)
    leaks, seen = [], {}
    for role in aw.ROLES:
        answers = read_everything(app.test_client(), world, role) + outbox_of(world, role)
        seen[role] = set()
        for where, text in answers:
            for profile, values in contacts.items():
                shown = [v for v in values if v in text]
                if shown:
                    seen[role].add(profile)
                if shown and not may_see(role, profile, intro_state):
                    leaks.append(f"{role} reads {profile}'s {shown} in {where}")
    assert leaks == []
    # Not blind: every role finds, somewhere, every contact it may see.
    for role in aw.ROLES:
        allowed = {p for p in PROFILES if may_see(role, p, intro_state)}
        assert seen[role] == allowed, role
