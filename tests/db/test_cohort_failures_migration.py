"""Migration a9e4c7b2d1f0: a cohort's refused pairs keep codes only, no stored English text;
the page and the API then word every one in the reader's language."""

from __future__ import annotations

import json

from flask_migrate import upgrade
from sqlalchemy import text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

PROPOSAL = ("INSERT INTO cohort_proposals (id, created_at, updated_at, status, request, result) "
            "VALUES (:id, '2026-01-02 03:04:05', '2026-01-02 03:04:05', 'confirmed', '{}', "
            ":result)")
OLDEST = {"sme_id": 1, "mentor_id": 2, "error": "Mentor 2 is full."}
BOTH = {"sme_id": 3, "mentor_id": 4, "code": "introduction_open", "params": {}, "error": "Open."}
CODED = {"sme_id": 5, "mentor_id": 6, "code": "mentor_full", "params": {}}
CREATED = [{"sme_id": 7, "mentor_id": 8, "introduction_id": 9}]


def _result(failed):
    return json.dumps({"pairs": [], "confirmation": {"created": CREATED, "failed": failed}})


def test_refused_pairs_keep_their_codes_and_lose_their_text(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="d8a4f2b6c1e9")
        with db.engine.begin() as conn:
            conn.execute(text(PROPOSAL), {"id": 1, "result": _result([OLDEST, BOTH, CODED])})
            conn.execute(text(PROPOSAL), {"id": 2, "result": _result([CODED])})
            conn.execute(text(PROPOSAL), {"id": 3, "result": json.dumps({"pairs": []})})
        upgrade(directory=MIGRATIONS_DIR, revision="a9e4c7b2d1f0")
        with db.engine.connect() as conn:
            results = {row.id: json.loads(row.result) for row in conn.execute(
                text("SELECT id, result FROM cohort_proposals"))}
        db.engine.dispose()
    assert results[1]["confirmation"] == {"created": CREATED, "failed": [
        {"sme_id": 1, "mentor_id": 2, "code": "pair_not_confirmed", "params": {}},
        {"sme_id": 3, "mentor_id": 4, "code": "introduction_open", "params": {}},
        CODED]}
    assert results[2]["confirmation"]["failed"] == [CODED]
    assert results[3] == {"pairs": []}


def test_the_new_code_is_worded_in_every_language():
    from webapp import catalogue

    words = {locale: catalogue.describe("pair_not_confirmed", locale)
             for locale in ("en", "es", "fr")}
    assert words["en"] == "This pair's introduction was not made."
    assert len(set(words.values())) == 3
