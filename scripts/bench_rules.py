"""Measure what program rules cost a ranking: the same queries, same index, with and without.

    .venv/bin/python scripts/bench_rules.py [--candidates 100000] [--queries 200]

SME queries against mentor candidates from the demo generator (one BLAS thread, as a web
worker). Timed in one process, interleaved query by query so machine load hits all variants
alike: ``rank`` with no rule (the baseline), with scaled weights only, and with every rule on
(scaled weights, ``min_score``, ``needs_covered_required``, ``cross_border="only"``); plus the
cost of building the scaled scorers once (the service caches them per process).
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matcher import MENTORSHIP, CandidateIndex, build_bundle, rank, scaled_scorers  # noqa: E402
from scripts.bench_matcher import make_records  # noqa: E402

WEIGHTS = {"needs": 2.0, "location": 0.5, "text": 0.0}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    candidates, queries = make_records("mentor", args.candidates, args.queries, args.seed)
    bundle = build_bundle(candidates[:5000] + queries)
    index = CandidateIndex.build(bundle, "mentor", candidates)
    started = time.perf_counter()
    scorers = scaled_scorers(bundle.scorers, MENTORSHIP, WEIGHTS)
    build_ms = (time.perf_counter() - started) * 1e3
    variants = {
        "no rule (baseline)": {},
        "weights only": {"scorers": scorers},
        "every rule": {"scorers": scorers, "min_score": 0.3, "needs_covered_required": True,
                       "cross_border": "only"},
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for query in [queries[0], *queries]:  # the first is a warm-up, dropped below
        for name, options in variants.items():
            start = time.perf_counter()
            rank(index, query, 10, **options)
            times[name].append(time.perf_counter() - start)
    print(f"{len(candidates):,} mentor candidates, {len(queries)} SME queries, top 10")
    print(f"{'variant':<20} {'p50 ms':>8} {'p95 ms':>8}")
    for name, seconds in times.items():
        ms = np.asarray(seconds[1:]) * 1e3
        print(f"{name:<20} {np.percentile(ms, 50):8.2f} {np.percentile(ms, 95):8.2f}")
    print(f"building the scaled scorers once: {build_ms:.3f} ms")


if __name__ == "__main__":
    main()
