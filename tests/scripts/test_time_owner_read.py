"""The owner's read timed several ways (``scripts/time_owner_read.py``), run tiny on a SQLite
file seeded by the real commands: every way reads what the ORM reads, and each is printed."""

from __future__ import annotations

import re

from scripts.time_owner_read import WAYS, OwnerReads, differing, main


def test_each_way_is_printed_beyond_the_checkout_after_the_values_were_compared(
        seeded_url, capsys, restored_environment):
    medians = main(["--database-url", seeded_url, "--rounds", "2", "--batch", "3"])
    out = capsys.readouterr().out
    assert "on sqlite, 2 rounds of 3 requests a way; every way read the same values" in out
    printed = {m[1]: float(m[2]) for m in re.finditer(r"^  (\S+)\s+(-?\d+)", out, re.M)}
    assert list(printed) == list(WAYS), out
    assert printed["checkout"] > 0 and printed["orm"] > 0, out
    assert re.search(r"^  orm\s+\d+\s+100%$", out, re.M), out
    assert set(medians) == set(WAYS)


def test_a_way_reading_other_values_is_caught(seeded_url, restored_environment, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    monkeypatch.setenv("SECRET_KEY", "owner-read-test")
    from webapp import create_app
    from webapp.services import accounts

    app = create_app()
    with app.app_context():
        profile_id = accounts.find_user_by_email("sme@demo.puente.test").profile.id
    reads = OwnerReads(app, profile_id)
    assert differing(reads) == []
    # Without SQLAlchemy's result types, the driver's row reads other values (on SQLite, the
    # timestamps and JSON lists are text): the comparison must notice.
    reads.processors = [None] * len(reads.processors)
    assert differing(reads) == ["driver", "driver+profile"]
