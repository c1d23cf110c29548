"""Migration b3f7e2a9c4d1: introductions keep both parties' countries as they were when made,
existing rows filled from the profiles as they are now."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR

BEFORE, AFTER = "f1b2c3d4e5a6", "b3f7e2a9c4d1"
PROFILE = ("INSERT INTO profiles (id, kind, user_id, name, country, subdivision, city, sectors, "
           "languages, markets, description, active, created_at, updated_at) "
           "VALUES (:id, :kind, NULL, :name, :country, :subdivision, :city, '[]', '[]', '[]', "
           "'', true, '2026-01-01', '2026-01-01')")
INTRODUCTION = ("INSERT INTO introductions (id, kind, state, requester_id, target_id, pair_key, "
                "message, created_at, updated_at, sme_ownership) VALUES (:id, :kind, "
                "'accepted', :requester, :target, :key, '', '2026-01-02', '2026-01-02', '')")


def fill() -> None:
    with db.engine.begin() as conn:
        for pid, kind, name, country, subdivision, city in (
                (1, "sme", "Textiles Yaqui", "MX", "MX-SON", "Hermosillo"),
                (2, "buyer", "Bates Apparel", "US", "US-NY", "New York"),
                (3, "mentor", "Rosa Delgado", "CA", "CA-QC", "Montréal")):
            conn.execute(text(PROFILE), {"id": pid, "kind": kind, "name": name,
                                         "country": country, "subdivision": subdivision,
                                         "city": city})
        for iid, kind, requester, target in ((1, "sme_buyer", 1, 2), (2, "mentor_sme", 3, 1),
                                             (3, "buyer_sme", 2, 1)):
            conn.execute(text(INTRODUCTION), {"id": iid, "kind": kind, "requester": requester,
                                              "target": target, "key": f"{iid}"})


def rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_upgrade_fills_both_countries_from_the_profiles_and_downgrade_drops_them(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        fill()
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        kept = rows("SELECT id, requester_country, target_country FROM introductions "
                    "ORDER BY id")
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("introductions")}
        after_downgrade = rows("SELECT count(*) FROM introductions")
        db.engine.dispose()
    assert kept == [(1, "MX", "US"), (2, "CA", "MX"), (3, "US", "MX")]
    assert not {"requester_country", "target_country"} & columns
    assert after_downgrade == [(3,)]
