"""The conversations migration marks the introductions old cohort confirmations made (with
their fixed English note) as the program's, and clears the note."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

OLD_NOTE = "Introduced by the program coordinators as part of a cohort."
PROFILE = ("INSERT INTO profiles (id, kind, name, country, subdivision, city, sectors, "
           "languages, markets, description, active, created_at, updated_at) VALUES "
           "({id}, '{kind}', 'P{id}', 'MX', 'MX-JAL', 'Guadalajara', '[]', '[]', '[]', '', 1, "
           "'2026-01-02 03:04:05', '2026-01-02 03:04:05')")
INTRO = ("INSERT INTO introductions (id, kind, state, requester_id, target_id, pair_key, "
         "message, created_at, updated_at, version, outcome_prompts) VALUES ({id}, "
         "'sme_mentor', 'requested', {req}, 3, '{req}:3', :message, '2026-01-02 03:04:05', "
         "'2026-01-02 03:04:05', 1, 0)")


def test_old_cohort_introductions_become_the_programs(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="78fbd7204504")
        with db.engine.begin() as conn:
            for pid, kind in ((1, "sme"), (2, "sme"), (3, "mentor")):
                conn.execute(text(PROFILE.format(id=pid, kind=kind)))
            conn.execute(text(INTRO.format(id=1, req=1)), {"message": OLD_NOTE})
            conn.execute(text(INTRO.format(id=2, req=2)), {"message": "Hola Rosa"})
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, origin, message FROM introductions ORDER BY id")).all()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "program", ""), (2, "member", "Hola Rosa")]
