"""The impression log's write benchmark (``scripts/bench_impression_log.py``), run tiny on the
test database when it is PostgreSQL: both ways of writing print their figures, and the rows it
wrote are gone afterwards."""

from __future__ import annotations

import re

import pytest

from models import MatchImpression, db
from scripts.bench_impression_log import MARK, main


def test_it_prints_both_ways_and_leaves_no_rows(app, database_url, capsys):
    if not database_url.startswith("postgresql"):
        pytest.skip("COPY is PostgreSQL's")
    main(["--database-url", database_url, "--rows", "30", "--batches", "2", "--rounds", "2"])
    out = capsys.readouterr().out
    assert "30 impressions a batch" in out
    for name in ("COPY", r"executemany \(baseline\)"):
        assert re.search(name + r"\s+this process\s+[\d.]+ ms CPU, PostgreSQL\s+[\d.]+ ms CPU",
                         out), out
    assert not db.session.scalar(db.select(db.func.count()).select_from(MatchImpression)
                                 .where(MatchImpression.ranking == MARK))


def test_it_refuses_a_database_that_is_not_postgresql():
    with pytest.raises(SystemExit):
        main(["--database-url", "sqlite:///nowhere.db"])
