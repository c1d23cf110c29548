"""Time writing a batch of the impression log: PostgreSQL's COPY against executemany.

    .venv/bin/python scripts/bench_impression_log.py --database-url postgresql+psycopg://…
        [--rows 500] [--batches 10] [--rounds 3]

Writes ``--batches`` batches of ``--rows`` impressions (as a worker's buffer flushes them,
each in a transaction of its own) with ``webapp.services.exposure``'s COPY and with the
executemany of one INSERT (the baseline, as the log was written before), in alternating
rounds in one process, and prints each one's CPU time (this process and PostgreSQL's backend)
and wall time per batch. The rows name no profile, and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, insert, text  # noqa: E402

from models import MatchImpression, db  # noqa: E402
from scripts.bench_http import cpu_ticks  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.services.exposure import _copy  # noqa: E402
from webapp.services.transactions import separate_transaction  # noqa: E402

MARK = "bench-impression-log"
TICKS = os.sysconf("SC_CLK_TCK")  # a second of CPU


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=500)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not (args.database_url or "").startswith("postgresql"):
        parser.error("--database-url must name a PostgreSQL database (COPY is PostgreSQL's)")
    return args


def batch(rows: int) -> list[dict]:
    """Return one batch of impressions: rankings of ten, naming no profile."""
    at = datetime.now(UTC)
    return [{"ranking": MARK, "at": at, "requester_id": None, "shown_id": None,
             "rank": n % 10 + 1, "kind": "sme_mentor", "sme_country": "MX",
             "sme_ownership": ""} for n in range(rows)]


def executemany(rows: list[dict]) -> None:
    with separate_transaction() as session:
        session.execute(insert(MatchImpression), rows)


def copy(rows: list[dict]) -> None:
    with separate_transaction() as session:
        _copy(session.connection(), rows)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    rows = batch(args.rows)
    results: dict[str, dict[str, list[float]]] = {}
    with app.app_context():
        copy(rows)  # warm-up: a pooled connection, the statements
        executemany(rows)
        with separate_transaction() as session:
            pids = list(session.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend'")))
        for round_ in range(args.rounds):
            methods = [("COPY", copy), ("executemany (baseline)", executemany)]
            for name, write in methods if round_ % 2 == 0 else reversed(methods):
                cpu, db_cpu = time.process_time(), cpu_ticks(pids) / TICKS
                wall = time.perf_counter()
                for _ in range(args.batches):
                    write(rows)
                figures = results.setdefault(name, {"cpu": [], "db": [], "wall": []})
                figures["cpu"].append((time.process_time() - cpu) / args.batches * 1000)
                figures["db"].append((cpu_ticks(pids) / TICKS - db_cpu) / args.batches * 1000)
                figures["wall"].append((time.perf_counter() - wall) / args.batches * 1000)
        with separate_transaction() as session:
            session.execute(delete(MatchImpression).where(MatchImpression.ranking == MARK))
        db.engine.dispose()
    print(f"{args.rows} impressions a batch, {args.batches} batches a round, "
          f"{args.rounds} rounds (medians of the rounds)")
    for name, figures in results.items():
        print(f"  {name:24} this process {statistics.median(figures['cpu']):6.1f} ms CPU, "
              f"PostgreSQL {statistics.median(figures['db']):6.1f} ms CPU, "
              f"wall {statistics.median(figures['wall']):6.1f} ms a batch")


if __name__ == "__main__":
    main()
