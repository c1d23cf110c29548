"""The bundle migration retires versions stored as pickles and keeps those stored as .npz."""

from __future__ import annotations

import pickle

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from matcher import build_bundle
from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE = "b50c049c1b86"


@pytest.mark.parametrize(("blob", "stays_active"), [
    (lambda: pickle.dumps({"format": 1}), False),
    (lambda: build_bundle([]).to_bytes(), True),
], ids=["pickle", "npz"])
def test_only_a_pickled_active_version_is_retired(tmp_path, blob, stays_active):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO model_versions (id, version, created_at, n_profiles, n_outcomes, "
                "weights, metrics, promoted, active, note, bundle) VALUES (1, 'v', "
                "'2026-01-01', 0, 0, '{}', '{}', 0, 1, '', :blob)"), {"blob": blob()})
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            assert bool(conn.execute(text("SELECT active FROM model_versions")).scalar()) \
                is stays_active
        db.engine.dispose()
