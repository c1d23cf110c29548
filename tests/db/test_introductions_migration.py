"""The introductions migration upgrades a SQLite database that holds data, in place."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

INITIAL = "2af7c9fc8c18"


@pytest.fixture
def old_database(tmp_path):
    """An app on a SQLite file at the initial schema, holding one mentor and its facet."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=INITIAL)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO profiles (id, kind, name, country, subdivision, city, sectors, "
                "languages, markets, description, active, created_at, updated_at, capacity) "
                "VALUES (1, 'mentor', 'M', 'US', 'US-TX', 'El Paso', '[]', '[]', '[]', '', 1, "
                "'2026-01-01', '2026-01-01', 2)"))
            conn.execute(text("INSERT INTO profile_facets VALUES (1, 'language', 'es')"))
        yield app
        db.engine.dispose()


def count(sql: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_upgrade_keeps_related_rows_and_adds_the_capacity_checks(old_database):
    upgrade(directory=MIGRATIONS_DIR)
    assert count("SELECT count(*) FROM profile_facets") == 1  # profiles was not recreated
    assert count("SELECT active_count + requests_answered + paused FROM profiles") == 0
    for load in (3, -1):
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text(f"UPDATE profiles SET active_count = {load}"))
    downgrade(directory=MIGRATIONS_DIR, revision=INITIAL)
    assert count("SELECT count(*) FROM profile_facets") == 1
