"""Time a deep page of the profile list: ``page`` (OFFSET) against ``after`` (keyset).

Runs the app in process on an already seeded database (e.g. the one ``scripts/bench_http.py``
seeded), signs in the demo coordinator with an API token, and for each depth times the same
rows read both ways (median of ``--repeat`` requests after a warm-up), checking both return the
same profiles::

    python scripts/bench_list_depth.py --database-url postgresql+psycopg://…/puente_bench_e
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--kind", default="mentors")
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--depths", type=int, nargs="+", default=[0, 1000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=30)
    return parser.parse_args(argv)


def median_ms(get, url: str, repeat: int) -> tuple[float, list[int]]:
    ids = [item["id"] for item in get(url).get_json()["items"]]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), ids


def main(argv: list[str] | None = None) -> list[dict]:
    args = parse_args(argv)
    os.environ.update(OPENBLAS_NUM_THREADS="1", SECRET_KEY="bench-not-secret")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from models import Profile, db
    from webapp import create_app
    from webapp.services import accounts

    app = create_app()
    client = app.test_client()
    with app.app_context():
        staff = accounts.find_user_by_email("coordinator@demo.puente.test")
        headers = {"Authorization": f"Bearer {accounts.issue_token(staff, 'bench')[1]}"}
        kind = {"smes": "sme", "mentors": "mentor", "buyers": "buyer"}[args.kind]
        ordered = db.select(Profile.id).where(Profile.kind == kind).order_by(Profile.id)
        cursors = {depth: db.session.scalar(ordered.offset(depth - 1).limit(1)) if depth else 0
                   for depth in args.depths}

    def get(url):
        return client.get(url, headers=headers)

    rows = []
    print(f"{'rows skipped':>12} {'page= (OFFSET) ms':>18} {'after= (keyset) ms':>19} "
          f"{'same rows':>9}")
    for depth in args.depths:
        if depth % args.per_page:
            raise SystemExit("each depth must be a multiple of --per-page")
        base = f"/api/v1/{args.kind}?per_page={args.per_page}"
        offset_ms, by_page = median_ms(get, f"{base}&page={depth // args.per_page + 1}",
                                       args.repeat)
        keyset_ms, by_cursor = median_ms(get, f"{base}&after={cursors[depth]}", args.repeat)
        rows.append({"depth": depth, "offset_ms": offset_ms, "keyset_ms": keyset_ms,
                     "same": by_page == by_cursor and len(by_page) == args.per_page})
        print(f"{depth:>12,} {offset_ms:>18.2f} {keyset_ms:>19.2f} "
              f"{'yes' if rows[-1]['same'] else 'NO':>9}")
    return rows


if __name__ == "__main__":
    main()
