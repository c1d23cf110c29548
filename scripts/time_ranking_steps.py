"""Time the steps of a ranking: where the engine's milliseconds go, per query.

    python scripts/time_ranking_steps.py [--candidates 100000] [--queries 300]

Builds an index of demo-generator mentors, ranks SME queries once to warm up, then ranks them
again with each step of :mod:`matcher.ranking` and :mod:`matcher.factors` wrapped in a timer,
and prints the mean milliseconds a query of each step next to the whole ranking's. Steps nest
(``compute_factors`` holds ``sparse_dot``; the text factor is the ``sparse_dot`` beyond the
sector and language ones), so their figures do not add up to the total; the wrappers add a
little to every figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matcher import make_records, sample_args  # noqa: E402

from matcher import CandidateIndex, build_bundle, rank  # noqa: E402
from matcher import factors as factors_module  # noqa: E402
from matcher import ranking as ranking_module  # noqa: E402
from webapp import allocator  # noqa: E402

STEPS = {
    ranking_module: ("compute_factors", "_keep", "_reachable", "location_factor", "_scores",
                     "top_k", "_hits", "_distinct", "_matches"),
    factors_module: ("_sector", "_language", "sparse_dot", "_discrete_factors"),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return sample_args(__doc__.splitlines()[0], argv)


def timed(totals: dict[str, float], name: str, function):
    """Return ``function`` adding the seconds each call takes to ``totals[name]``."""
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] += time.perf_counter() - started
    return wrapper


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    allocator.tune()
    candidates, queries = make_records("mentor", args.candidates, args.queries, args.seed)
    bundle = build_bundle(candidates[:20_000] + queries, version="steps")
    index = CandidateIndex.build(bundle, "mentor", candidates)
    for query in queries:
        rank(index, query)
    started = time.perf_counter()
    for query in queries:
        rank(index, query)
    plain = (time.perf_counter() - started) / len(queries) * 1000
    totals: dict[str, float] = defaultdict(float)
    for module, names in STEPS.items():
        for name in names:
            setattr(module, name, timed(totals, name, getattr(module, name)))
    started = time.perf_counter()
    for query in queries:
        rank(index, query)
    wrapped = (time.perf_counter() - started) / len(queries) * 1000
    print(f"{len(index):,} mentors, {len(queries)} SME queries, top 10: "
          f"{plain:.3f} ms a ranking ({wrapped:.3f} ms with the timers)")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {name:20s} {seconds / len(queries) * 1000:7.3f} ms")


if __name__ == "__main__":
    main()
