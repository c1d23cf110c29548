"""Run a migration up and back down on a new SQLite file, reading the profiles' indexes."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR


def profile_indexes() -> dict[str, dict]:
    """Return the indexes of the profiles table by name."""
    return {index["name"]: index for index in inspect(db.engine).get_indexes("profiles")}


def indexes_up_and_down(tmp_path: Path, before: str,
                        after: str) -> tuple[dict[str, dict], dict[str, dict], dict[str, dict]]:
    """Return the profiles' indexes at revision ``before``, after upgrading to ``after``, and
    after downgrading back to ``before``."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=before)
        at_before = profile_indexes()
        upgrade(directory=MIGRATIONS_DIR, revision=after)
        at_after = profile_indexes()
        downgrade(directory=MIGRATIONS_DIR, revision=before)
        back = profile_indexes()
        db.engine.dispose()
    return at_before, at_after, back
