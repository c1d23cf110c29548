"""The (kind, active) index migration (c6f2a3d4e5b7) adds the index a list's total counts
from, with the owner column carried in it on PostgreSQL, and goes back down."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE = "b5e1d2c3f4a6"
AFTER = "c6f2a3d4e5b7"


def _indexes() -> dict[str, dict]:
    return {index["name"]: index for index in inspect(db.engine).get_indexes("profiles")}


def test_upgrade_adds_the_index_and_downgrade_removes_it(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        before = set(_indexes())
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        after = _indexes()
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        back = set(_indexes())
        db.engine.dispose()
    assert "ix_profiles_kind_active" not in before
    assert after["ix_profiles_kind_active"]["column_names"] == ["kind", "active"]
    assert back == before


def test_the_test_database_has_it_with_the_owner_on_postgresql(app):
    index = _indexes()["ix_profiles_kind_active"]
    assert index["column_names"] == ["kind", "active"]
    if db.engine.dialect.name == "postgresql":
        assert index["dialect_options"]["postgresql_include"] == ["user_id"], index
