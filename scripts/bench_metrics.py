"""Benchmark the program metrics over many introductions, against reading them as ORM objects.

    .venv/bin/python scripts/bench_metrics.py [--introductions 50000]

Seeds a throw-away SQLite database with demo profiles and random SME→mentor introductions
spread over 300 days, then times, in the same process: ``program_metrics`` as a coordinator
asks for it (median of ``--runs``), reading the introductions as plain rows
(``webapp.services.intro_rows``, what the metrics do), and, as the baseline, reading them as
ORM objects with both profiles (what the metrics did first). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.orm import selectinload  # noqa: E402

from models import INTRODUCTION_STATES, Introduction, Profile, db, utcnow  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.services import accounts  # noqa: E402
from webapp.services.demo_seed import seed_profiles  # noqa: E402
from webapp.services.intro_rows import introductions_in  # noqa: E402
from webapp.services.metrics import program_metrics  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--introductions", type=int, default=50000)
    parser.add_argument("--smes", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def seed_introductions(count: int, seed: int) -> None:
    """Insert random SME→mentor introductions in every state over the last 300 days."""
    smes = db.session.scalars(db.select(Profile.id).where(Profile.kind == "sme")).all()
    mentors = db.session.scalars(db.select(Profile.id).where(Profile.kind == "mentor")).all()
    rng, now, rows = random.Random(seed), utcnow(), []
    for n in range(count):
        sme, mentor = rng.choice(smes), rng.choice(mentors)
        created = now - timedelta(days=rng.uniform(0, 300))
        rows.append({"kind": "sme_mentor", "state": rng.choice(INTRODUCTION_STATES),
                     "requester_id": sme, "target_id": mentor, "pair_key": f"{sme}:{mentor}:{n}",
                     "created_at": created, "updated_at": created, "score": rng.random(),
                     "responded_at": created + timedelta(hours=rng.uniform(1, 96)),
                     "message": ""})
    db.session.execute(db.insert(Introduction), rows)
    db.session.commit()


def orm_objects() -> list[Introduction]:
    """The baseline: the introductions as ORM objects with both profiles loaded."""
    return list(db.session.scalars(db.select(Introduction).options(
        selectinload(Introduction.requester), selectinload(Introduction.target))
        .order_by(Introduction.id)))


def timed(work: Callable[[], object], runs: int) -> float:
    """Return the median seconds of ``runs`` calls, each on a fresh session."""
    seconds = []
    for _ in range(runs):
        db.session.expunge_all()
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def run(args: argparse.Namespace, database_url: str) -> dict[str, float]:
    """Seed the database and time the three ways; return their seconds."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        seed_profiles(args.smes, args.mentors, 0, args.seed)
        user = accounts.create_user("bench@example.test", "correct horse battery", "coordinator")
        db.session.commit()
        user_id = user.id
        seed_introductions(args.introductions, args.seed)
        figures = program_metrics(user, {})
        assert figures["introductions"] == args.introductions
        return {"metrics": timed(lambda: program_metrics(db.session.get(type(user), user_id), {}),
                                 args.runs),
                "rows": timed(lambda: introductions_in({}), args.runs),
                "orm": timed(orm_objects, args.runs)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        seconds = run(args, f"sqlite:///{folder}/bench.db")
    print(f"Program metrics over {args.introductions:,} introductions, {args.smes:,} SMEs and "
          f"{args.mentors:,} mentors (SQLite, median of {args.runs}):\n")
    print("| step | seconds |\n|---|---|")
    print(f"| GET /api/v1/metrics figures (program_metrics) | {seconds['metrics']:.3f} |")
    print(f"| of which reading the introductions as rows | {seconds['rows']:.3f} |")
    print(f"| baseline: reading them as ORM objects with profiles | {seconds['orm']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
