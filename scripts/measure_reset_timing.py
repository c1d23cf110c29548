"""Measure whether asking for a password-reset link tells, by its time, if an address exists.

    .venv/bin/python scripts/measure_reset_timing.py [--runs 300] [--database-url URL]

Serves ``POST /password/forgot`` through the Flask test client (CSRF off, limits off) on a
throw-away SQLite database (or the one given) with one account, and times, in the same
process and interleaved, requests for the registered address and for unknown ones. Prints the
median and the 10th/90th percentiles of each, and as the baseline the gap between two halves
of the *same* kind (unknown vs unknown): a tell would be a gap well beyond that noise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import OutboxMessage, db  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.services import accounts  # noqa: E402


def timed(client, email: str) -> float:
    start = time.perf_counter()
    response = client.post("/password/forgot", data={"email": email})
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    return elapsed * 1000


def summary(values: list[float]) -> str:
    deciles = statistics.quantiles(values, n=10)
    return f"{statistics.median(values):7.2f} ms  (p10 {deciles[0]:.2f}, p90 {deciles[-1]:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'timing.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "timing",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "PUENTE_ARGON2_TIME_COST": 1, "PUENTE_ARGON2_MEMORY_KIB": 1024})
        with app.app_context():
            db.create_all()
            accounts.create_user("known@example.test", "correct horse battery", "sme")
            client = app.test_client()
            known, unknown_a, unknown_b = [], [], []
            for i in range(5):  # warm up both paths
                timed(client, "known@example.test"), timed(client, f"w{i}@example.test")
            for i in range(args.runs):
                known.append(timed(client, "known@example.test"))
                (unknown_a if i % 2 else unknown_b).append(
                    timed(client, f"nobody{i}@example.test"))
            sent = db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))
            db.drop_all()
    gap = statistics.median(known) - statistics.median(unknown_a + unknown_b)
    noise = statistics.median(unknown_a) - statistics.median(unknown_b)
    print(f"database: {url.split(':')[0]}, "
          f"{args.runs} requests each, {sent} reset e-mails queued")
    print(f"registered address : {summary(known)}")
    print(f"unknown addresses  : {summary(unknown_a + unknown_b)}")
    print(f"gap known - unknown: {gap:+.2f} ms   (noise, unknown vs unknown: {noise:+.2f} ms)")


if __name__ == "__main__":
    main()
