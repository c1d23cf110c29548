"""Time the navigation bar's unread-notification count, which every signed-in page runs.

    .venv/bin/python scripts/bench_notice_count.py [--users 2000] [--per-user 200]
        [--database-url postgresql+psycopg://…]   (default: a throw-away SQLite file)

Inserts ``--users`` × ``--per-user`` notices (a tenth of them unread), then times
``inbox.unread_count`` for random users (median and 95th percentile over ``--runs`` calls) and
prints the database's query plan, which should use ``ix_notices_user_id_read_at``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402

from models import Notice, User, db, utcnow  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.services import inbox  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--per-user", type=int, default=200)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--database-url")
    return parser.parse_args(argv)


def seed(users: int, per_user: int) -> None:
    """Insert the users and their notices (one unread in ten)."""
    now = utcnow()
    db.session.execute(insert(User), [
        {"id": i, "email": f"u{i}@bench.test", "password_hash": "x", "role": "sme",
         "locale": "en", "active": True, "session_epoch": 0, "created_at": now}
        for i in range(1, users + 1)])
    rows = [{"user_id": u, "kind": "requested", "params": {}, "created_at": now,
             "read_at": None if n % 10 == 0 else now}
            for u in range(1, users + 1) for n in range(per_user)]
    for start in range(0, len(rows), 50_000):
        db.session.execute(insert(Notice), rows[start:start + 50_000])
    db.session.commit()


def plan() -> list[str]:
    """Return the query plan of the count (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PG)."""
    sql = "SELECT count(id) FROM notices WHERE user_id = 7 AND read_at IS NULL"
    if db.engine.dialect.name == "sqlite":
        return [str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    db.session.execute(text("ANALYZE notices"))
    return [r[0] for r in db.session.execute(text(f"EXPLAIN {sql}"))]


def run(args: argparse.Namespace, url: str) -> None:
    """Seed, time and print."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed(args.users, args.per_user)
        users = [db.session.get(User, i) for i in random.Random(1).sample(
            range(1, args.users + 1), min(args.users, 200))]
        seconds = []
        for n in range(args.runs):
            started = time.perf_counter()
            count = inbox.unread_count(users[n % len(users)])
            seconds.append(time.perf_counter() - started)
        assert count == args.per_user // 10
        seconds.sort()
        print(f"unread_count over {args.users * args.per_user:,} notices "
              f"({db.engine.dialect.name}): median {statistics.median(seconds) * 1000:.3f} ms, "
              f"p95 {seconds[int(len(seconds) * 0.95)] * 1000:.3f} ms ({args.runs} calls)")
        print("plan:", " | ".join(plan()))
        db.drop_all()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    args = parse_args(argv)
    if args.database_url:
        run(args, args.database_url)
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(args, f"sqlite:///{folder}/bench.db")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
