"""The (kind, id) index migration (b5e1d2c3f4a6) adds the index the profile lists page by, and
goes back down to the indexes before it."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE = "a7d3e9f1c2b4"
AFTER = "b5e1d2c3f4a6"


def _indexes() -> set[str]:
    return {index["name"] for index in inspect(db.engine).get_indexes("profiles")}


def test_upgrade_adds_the_index_and_downgrade_removes_it(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        before = _indexes()
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        after = _indexes()
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        back = _indexes()
        db.engine.dispose()
    assert "ix_profiles_kind_id" not in before and "ix_profiles_kind_id" in after
    assert back == before
