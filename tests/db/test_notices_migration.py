"""The notices migration (2cc8fc5a70fe) adds its table and columns to a database with rows,
and goes back down leaving those rows as they were."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE = "1d074fa905c3"


def test_upgrade_and_downgrade_keep_existing_rows(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (id, email, password_hash, role, locale, active, "
                "session_epoch, created_at, last_login_at) VALUES (1, 'demo@example.test', "
                "'x', 'mentor', 'en', 1, 0, '2026-01-02 03:04:05', '2026-01-03 03:04:05')"))
        upgrade(directory=MIGRATIONS_DIR)
        tables = inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT previous_login_at, email FROM users")).one()
            notices = conn.execute(text("SELECT count(*) FROM notices")).scalar()
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        after = inspect(db.engine)
        columns = {c["name"] for c in after.get_columns("users")}
        profile_columns = {c["name"] for c in after.get_columns("profiles")}
        with db.engine.connect() as conn:
            email = conn.execute(text("SELECT email FROM users")).scalar()
        db.engine.dispose()
    assert "notices" in tables and notices == 0 and row == (None, "demo@example.test")
    assert "notices" not in after.get_table_names()
    assert "previous_login_at" not in columns and "paused_until" not in profile_columns
    assert email == "demo@example.test"
