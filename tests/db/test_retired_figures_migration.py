"""Migration f1b2c3d4e5a6: introductions keep their SME's ownership groups, retired profiles
are marked, seeded rate sources become codes, and a US dollar rate of US dollars goes."""

from __future__ import annotations

import json

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from models import db
from webapp import create_app
from webapp.database import MIGRATIONS_DIR
from webapp.services.usd_rates import DOCUMENTED_RATES, documented_rates

BEFORE, AFTER = "a9e4c7b2d1f0", "f1b2c3d4e5a6"
PROFILE = ("INSERT INTO profiles (id, kind, user_id, name, country, subdivision, city, sectors, "
           "languages, markets, description, active, created_at, updated_at, ownership) "
           "VALUES (:id, :kind, NULL, :name, 'MX', 'MX-SON', :city, '[]', '[]', '[]', '', "
           ":active, '2026-01-01', '2026-03-04 05:06:07', :ownership)")
INTRODUCTION = ("INSERT INTO introductions (id, kind, state, requester_id, target_id, pair_key, "
                "message, created_at, updated_at) VALUES (:id, :kind, 'accepted', :requester, "
                ":target, :key, '', '2026-01-02', '2026-01-02')")
RATE = ("INSERT INTO usd_rates (year, currency, units_per_usd, source, updated_at) "
        "VALUES (:year, :currency, :rate, :source, '2026-01-01')")


def fill() -> None:
    ecb = next(r for r in documented_rates() if r["source_code"] == "ecb_year_to_date")
    with db.engine.begin() as conn:
        for pid, kind, name, city, active, owned in (
                (1, "sme", "Textiles Yaqui", "Hermosillo", True, ["women", "indigenous"]),
                (2, "buyer", "Bates Apparel", "Hermosillo", True, None),
                (3, "sme", "(deleted profile)", "", False, []),
                (4, "mentor", "Rosa Delgado", "Nogales", True, None)):
            conn.execute(text(PROFILE), {"id": pid, "kind": kind, "name": name, "city": city,
                                         "active": active, "ownership": json.dumps(owned)})
        for iid, kind, requester, target in ((1, "sme_buyer", 1, 2), (2, "mentor_sme", 4, 1),
                                             (3, "sme_mentor", 3, 4)):
            conn.execute(text(INTRODUCTION), {"id": iid, "kind": kind, "requester": requester,
                                              "target": target, "key": f"{iid}"})
        for year, currency, rate, source in (  # the Fed's rates were seeded by 42abe71303ce
                (ecb["year"], ecb["currency"], str(ecb["units_per_usd"]), ecb["source"]),
                (2019, "MXN", "19.2", "Banco de México, FIX, 2019 average"),
                (2026, "USD", "2", "abc")):
            conn.execute(text(RATE), {"year": year, "currency": currency, "rate": rate,
                                      "source": source})


def rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_upgrade_fills_the_new_columns_from_what_is_stored(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    ecb = next(r for r in documented_rates() if r["source_code"] == "ecb_year_to_date")
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        fill()
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        owned = rows("SELECT id, sme_ownership FROM introductions ORDER BY id")
        retired = rows("SELECT id FROM profiles WHERE retired_at IS NOT NULL")
        rates = {(year, currency): (code, json.loads(params) if params else None)
                 for year, currency, code, params in rows(
                     "SELECT year, currency, source_code, source_params FROM usd_rates")}
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        after_downgrade = rows("SELECT count(*) FROM introductions")
        db.engine.dispose()
    # the SME's groups, sorted, whichever side it is on; a profile retired before has none left
    assert owned == [(1, "indigenous,women"), (2, "indigenous,women"), (3, "")]
    assert retired == [(3,)]
    fed = {(r["year"], r["currency"]): ("fed_g5a", {"release": "2024-02-01"})
           for r in DOCUMENTED_RATES}
    assert rates == {
        **fed, (ecb["year"], ecb["currency"]): ("ecb_year_to_date", ecb["source_params"]),
        (2019, "MXN"): (None, None)}  # an admin's source stays as typed; the USD rate is gone
    assert after_downgrade == [(3,)]
