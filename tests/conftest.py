"""Shared fixtures: an app per test on a real database (SQLite file, or PostgreSQL when
``TEST_DATABASE_URL`` is set), emptied after every test; factories for users and payloads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from models import db
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
