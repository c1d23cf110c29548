"""Shared fixtures: an app per test on a real database (SQLite file, or PostgreSQL when
``TEST_DATABASE_URL`` is set), emptied after every test; factories for users and payloads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from models import db, utcnow
from tests.factories import app_config, database_url_for_tests
from webapp import create_app
from webapp.services import accounts

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """Return the test database URL with a freshly migrated schema."""
    url = database_url_for_tests()
    app = create_app(app_config(url))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        app.test_cli_runner().invoke(args=["init-db"], catch_exceptions=False)
        db.engine.dispose()
    yield url
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)


class FreshContextClient(FlaskClient):
    """A test client giving every request its own app context (own ``g`` and session),
    as in production, although the test itself holds an app context open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path) -> Iterator:
    """Yield an app bound to the test database; empty every table afterwards."""
    app = create_app(app_config(database_url))
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            conn.execute(text("DELETE FROM sqlite_sequence"))  # ids start at 1 again, as above


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user of a role; returns the user."""
    counter = iter(range(1, 10_000))

    def make(role: str = "sme", email: str | None = None, password: str = PASSWORD, **kw):
        email = email or f"{role}{next(counter)}@example.test"
        return accounts.create_user(email, password, role, **kw)

    return make


@pytest.fixture
def token_for(app):
    """Return Authorization headers with a fresh API token of the user."""

    def headers(user) -> dict[str, str]:
        _, secret = accounts.issue_token(user, "test")
        return {"Authorization": f"Bearer {secret}"}

    return headers


@pytest.fixture
def as_role(make_user, token_for):
    """Create a user of a role and return ``(user, headers)``."""

    def make(role: str, **kw):
        user = make_user(role, **kw)
        return user, token_for(user)

    return make


@pytest.fixture
def site(make_user):
    """Return a function filling the site (in a locale) and returning e-mails and ids:
    demo profiles with a program history (cohorts, answered introductions, reviews); an SME
    whose request a mentor accepted (contacts shown), a request waiting for that mentor, and a
    buyer's request waiting for the SME."""
    from tests.ui.test_profiles import make_profile
    from webapp.services import (
        accounts,
        background,
        cohorts,
        conversations,
        demo_history,
        demo_seed,
        introduction_states,
        meetings,
        outcome_steps,
    )
    from webapp.services.introductions import request_introduction

    def fill(locale: str = "en") -> dict:
        demo_seed.seed_profiles(smes=30, mentors=10, buyers=4, seed=7)
        staff = make_user("coordinator", locale=locale)
        demo_history.seed_program_history(accounts.find_user_by_email(staff.email), seed=7)
        users = {role: make_user(kind, locale=locale) for role, kind in
                 (("sme", "sme"), ("mentor", "mentor"), ("buyer", "buyer"), ("other", "sme"))}
        sme = make_profile(users["sme"], "sme")
        mentor = make_profile(users["mentor"], "mentor")
        make_profile(users["buyer"], "buyer")
        make_profile(users["other"], "sme", name="Otra Empresa")
        accepted = request_introduction(users["sme"], {"target_id": mentor.id,
                                                       "message": "Buscamos IATF 16949."})
        introduction_states.accept(users["mentor"], accepted.id)
        outcome_steps.report_step(users["sme"], accepted.id, {  # awaiting the mentor
            "stage": "session", "occurred_on": date.today(), "minutes": 45})
        conversations.post_message(users["sme"], accepted.id, "¿Nos vemos el martes?")
        meetings.propose(users["mentor"], accepted.id, {"times": [
            utcnow() + timedelta(days=3), utcnow() + timedelta(days=4)], "note": "Zoom"})
        request_introduction(users["other"], {"target_id": mentor.id, "message": "Hola."})
        request_introduction(users["buyer"], {"target_id": sme.id, "message": "Tomatoes?"})
        found = {role: user.email for role, user in users.items()}
        finished = background.start_job(staff, "train-model")
        background.run_job(finished.id)  # a model trained: the model page lists a version
        waiting = background.start_job(staff, "train-model")  # no worker here: it stays queued
        allocation = {"smes": {"ids": [sme.id]}, "mentors": {"ids": [mentor.id]},
                      "options": {"min_score": 0.0}}
        allocated = background.start_job(staff, "cohort-run", allocation)  # links a proposal
        background.run_job(allocated.id)
        refused = background.start_job(staff, "cohort-run", {  # the open pair cannot be pinned
            **allocation, "options": {"pinned": [[sme.id, mentor.id]]}})
        background.run_job(refused.id)
        exported = background.start_job(staff, "csv-export", {"export": "metrics",
                                                              "filters": {}})
        background.run_job(exported.id)  # its page offers the file to download
        found.update(staff=staff.email, sme_id=sme.id, mentor_id=mentor.id,
                     accepted_id=accepted.id,
                     cohort_id=max(p.id for p in cohorts.list_proposals(staff)),
                     jobs=[finished.id, waiting.id, allocated.id, refused.id, exported.id])
        db.session.rollback()  # end the read, so the live server can write (SQLite)
        return found

    return fill
