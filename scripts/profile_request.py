"""Profile requests in process (cProfile) against an already seeded database.

Creates the app on ``--database-url`` (e.g. one ``scripts/bench_http.py`` seeded), logs in as
the demo SME or coordinator (an API token, or the session cookie for pages), answers the path
once to warm up (the worker's first ranking loads its indexes), then profiles ``--repeat``
requests and prints the mean time per request and the functions taking the most cumulative
time::

    python scripts/profile_request.py --database-url postgresql+psycopg://…/puente_bench_b
    python scripts/profile_request.py --path '/matches' --repeat 50

``{sme}`` in the path is replaced by the demo SME's profile id.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--path", default="/api/v1/smes/{sme}/matches")
    parser.add_argument("--role", choices=("sme", "coordinator"), default="sme")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats order (e.g. tottime).")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.update(OPENBLAS_NUM_THREADS="1", SECRET_KEY="profile-not-secret")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from webapp import create_app
    from webapp.services import accounts

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    with app.app_context():
        user = accounts.find_user_by_email(f"{args.role}@demo.puente.test")
        sme = accounts.find_user_by_email("sme@demo.puente.test").profile.id
        headers = {}
        if args.path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {accounts.issue_token(user, 'profile')[1]}"
    if not args.path.startswith("/api/"):
        password = app.config["PUENTE_DEMO_PASSWORD"]
        client.post("/login", data={"email": user.email, "password": password})
    path = args.path.format(sme=sme)
    status = client.get(path, headers=headers).status_code
    print(f"warm-up {path}: {status}")
    profiler = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        client.get(path, headers=headers)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{args.repeat} requests unprofiled: {elapsed / args.repeat * 1000:.2f} ms each, "
          f"{cpu / args.repeat * 1000:.2f} ms CPU")
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(path, headers=headers)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{args.repeat} requests profiled: {elapsed / args.repeat * 1000:.2f} ms each")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
