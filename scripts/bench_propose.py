"""Benchmark a whole cohort proposal through the web service, against explaining pair by pair.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/bench_propose.py [--smes 300 --mentors 60]

Seeds a throw-away SQLite database with demo profiles, then times
``webapp.services.cohorts.propose`` (select the cohort, score it, solve exactly, explain every
pair, store the draft; median of ``--runs``) and, as the baseline in the same process, the
former way of explaining the chosen pairs: ``explain_pair`` once per pair. Checks that both
give the same reasons and prints a markdown table.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import Profile, User, db  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.services import accounts, cohorts  # noqa: E402
from webapp.services.demo_seed import seed_profiles  # noqa: E402
from webapp.services.matching import explain_pair  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smes", type=int, default=300)
    parser.add_argument("--mentors", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def run(args: argparse.Namespace, database_url: str) -> dict[str, float | int]:
    """Seed the database, time a proposal and the per-pair baseline; return the figures."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        seed_profiles(args.smes, args.mentors, 0, args.seed)
        user = accounts.create_user("bench@example.test", "correct horse battery", "coordinator")
        db.session.commit()
        request = {"smes": {"filter": {}}, "mentors": {"filter": {}},
                   "options": {"mentors_per_sme": 1, "objective": "total_score"}}
        cohorts.propose(user, request)  # warm: the matching state is built once per process
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            proposal = cohorts.propose(db.session.get(User, user.id), request)
            times.append(time.perf_counter() - started)
        pairs = proposal.result["pairs"]
        started = time.perf_counter()
        same = sum(explain_pair(db.session.get(Profile, p["sme_id"]),
                                db.session.get(Profile, p["mentor_id"]))["reasons"]
                   == p["reasons"] for p in pairs)
        baseline = time.perf_counter() - started
        return {"propose": statistics.median(times), "solve": proposal.result["solve_seconds"],
                "pairs": len(pairs), "same_reasons": same, "explain_per_pair": baseline}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        figures = run(args, f"sqlite:///{folder}/bench.db")
    print(f"Cohort proposal, {args.smes} SMEs x {args.mentors} mentors "
          f"(median of {args.runs}):\n")
    print("| step | seconds |\n|---|---|")
    print(f"| propose (whole use case) | {figures['propose']:.3f} |")
    print(f"| of which the exact solve | {figures['solve']:.3f} |")
    print(f"| baseline: explain_pair once per pair ({figures['pairs']} pairs) "
          f"| {figures['explain_per_pair']:.3f} |")
    print(f"\nReasons identical to explain_pair: {figures['same_reasons']} of {figures['pairs']}")
    return 0 if figures["same_reasons"] == figures["pairs"] else 1


if __name__ == "__main__":
    sys.exit(main())
