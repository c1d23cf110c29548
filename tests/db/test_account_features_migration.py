"""The account-features migration counts every existing account as verified."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR


def test_existing_accounts_are_verified_from_their_creation(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="cd4e83a35c13")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (id, email, password_hash, role, locale, active, "
                "session_epoch, created_at) VALUES (1, 'demo@example.test', 'x', 'sme', 'en', "
                "1, 0, '2026-01-02 03:04:05')"))
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT email_verified_at, created_at, last_login_at FROM users")).one()
        db.engine.dispose()
    assert row[0] is not None and row[0] == row[1] and row[2] is None
