"""Time the profile search (``q``) against the ``lower(…) LIKE`` it replaced, in one process.

    .venv/bin/python scripts/bench_search.py [--mentors 100000] [--rounds 5]
        [--database-url postgresql+psycopg://…]   (default: a throw-away SQLite file)

Seeds generated profiles (the demo generator, as ``seed-demo`` does) into a fresh database,
then, round after round, times the same searches both ways over every profile of the kind:
the old expression (``lower(column) LIKE '%word%'`` over the six searched columns, case-folded
for ASCII only on SQLite) and the new one (``webapp.text_search``: case and accents ignored).
Prints each search's median milliseconds both ways and how many profiles each found (the new
way finds at least as many: the accented spellings too).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, or_, select  # noqa: E402

from models import Profile, db  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.services.demo_seed import seed_profiles  # noqa: E402
from webapp.text_search import SEARCHED_COLUMNS, profile_matches, search_pattern  # noqa: E402

WORDS = ("logistica", "Querétaro", "MONTREAL", "aduanas", "zzzz")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    return parser.parse_args(argv)


def old_way(word: str):
    """The search before: each column lower-cased and compared with ``LIKE``."""
    pattern = "%" + word.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
        "_", "\\_") + "%"
    return or_(*(func.lower(getattr(Profile, c)).like(pattern, escape="\\")
                 for c in SEARCHED_COLUMNS))


def new_way(word: str):
    """The search now: case and accents ignored (``webapp.text_search``)."""
    return profile_matches(search_pattern(word))


def count(condition) -> int:
    return db.session.scalar(
        select(func.count(Profile.id)).where(Profile.kind == "mentor", condition))


def run(args: argparse.Namespace, url: str) -> dict[str, dict[str, float]]:
    """Seed, time both ways round by round (alternating which goes first), print, return."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_profiles(0, args.mentors, 0, seed=1)
        times = {w: {"old": [], "new": []} for w in WORDS}
        found = {}
        for n in range(args.rounds):
            for word in WORDS:
                ways = (("old", old_way), ("new", new_way))
                for name, way in ways if n % 2 == 0 else ways[::-1]:
                    started = time.perf_counter()
                    found[word, name] = count(way(word))
                    times[word][name].append(time.perf_counter() - started)
        print(f"{db.engine.dialect.name}, {args.mentors:,} mentors, {args.rounds} rounds "
              "(median ms; profiles found)")
        print(f"{'q':<12} {'old ms':>8} {'new ms':>8} {'old found':>10} {'new found':>10}")
        result = {}
        for word in WORDS:
            old, new = (statistics.median(times[word][k]) * 1000 for k in ("old", "new"))
            result[word] = {"old_ms": old, "new_ms": new, "old_found": found[word, "old"],
                            "new_found": found[word, "new"]}
            print(f"{word:<12} {old:>8.1f} {new:>8.1f} {found[word, 'old']:>10} "
                  f"{found[word, 'new']:>10}")
        db.session.remove()
        db.drop_all()
    return result


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if args.database_url:
        return run(args, args.database_url)
    with tempfile.TemporaryDirectory() as folder:
        return run(args, f"sqlite:///{folder}/search.db")


if __name__ == "__main__":
    main()
