"""JSON columns read back what was written, including what only the standard library reads."""

from __future__ import annotations

import math

from models import BackgroundJob, db
from models.base import json_column_loads


def test_values_read_back_as_written(app):
    values = {"codes": ["336390", "541611"], "n": 3, "x": 0.25, "nested": {"a": [None, True]},
              "text": "Ciudad Juárez – «ñ»", "big": 2**62}
    db.session.add(BackgroundJob(id="a" * 32, kind="export", params=values))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(BackgroundJob, "a" * 32).params == values


def test_what_orjson_refuses_is_read_by_the_standard_library():
    # json.dumps writes NaN and Infinity (SQLite keeps them as text; PostgreSQL refuses them).
    value = json_column_loads(b'{"auc": NaN, "gain": Infinity, "n": 1}')
    assert math.isnan(value["auc"]) and value["gain"] == math.inf and value["n"] == 1
    assert json_column_loads('["es", "en"]') == ["es", "en"]


def test_a_nan_written_on_sqlite_reads_back(app):
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's json type refuses NaN when it is written
    db.session.add(BackgroundJob(id="b" * 32, kind="export", params={"auc": float("nan")}))
    db.session.commit()
    db.session.expire_all()
    assert math.isnan(db.session.get(BackgroundJob, "b" * 32).params["auc"])
