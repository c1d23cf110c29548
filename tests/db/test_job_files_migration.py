"""The job files migration (a7d3e9f1c2b4) adds ``job_files`` beside the jobs a database holds
already, and goes back down leaving those jobs as they were."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE = "045de2cbb3ad"
JOB = ("INSERT INTO background_jobs (id, kind, state, progress, stage, params, attempts, "
       "created_at) VALUES ('" + "a" * 32 + "', 'train-model', 'finished', 100, 'done', '{}', "
       "1, '2026-01-02 03:04:05')")


def test_upgrade_and_downgrade_keep_existing_jobs(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(text(JOB))
        upgrade(directory=MIGRATIONS_DIR)
        columns = {c["name"] for c in inspect(db.engine).get_columns("job_files")}
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO job_files (job_id, filename, content_type, content, size, "
                "created_at) VALUES (:job, 'a.csv', 'text/csv', :content, 2, "
                "'2026-01-02 03:04:05')"), {"job": "a" * 32, "content": b"a\n"})
            kept = conn.execute(text("SELECT content FROM job_files")).scalar()
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        after = inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            jobs = conn.execute(text("SELECT id, state FROM background_jobs")).all()
        db.engine.dispose()
    assert columns == {"id", "job_id", "filename", "content_type", "content", "size",
                       "created_at"}
    assert kept == b"a\n"
    assert "job_files" not in after and jobs == [("a" * 32, "finished")]
