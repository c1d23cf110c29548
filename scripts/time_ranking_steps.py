"""Time the steps of a ranking: where the engine's milliseconds go, per query.

    python scripts/time_ranking_steps.py [--candidates 100000] [--queries 300]

Builds an index of demo-generator mentors, ranks SME queries once to warm up, then ranks them
again with each step of :mod:`matcher.ranking` and :mod:`matcher.factors` wrapped in a timer,
and prints the mean milliseconds a query of each step next to the whole ranking's. Steps nest
(``factor_parts`` holds ``sparse_dot``; the text factor is the ``sparse_dot`` beyond the
sector and language ones), so their figures do not add up to the total; the wrappers add a
little to every figure.

Before the steps, it ranks the queries in alternating rounds with the shortlist's bound as the
ranking sums it (the factors of one pattern array weighted and summed per pattern, then
gathered once) and with every factor gathered per row first and then combined (what the bound
did before; still its way when an interaction weighs something), and prints both and their
ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from unittest import mock

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matcher import make_records, sample_args  # noqa: E402
from profile_request import clocked  # noqa: E402

from matcher import CandidateIndex, build_bundle, rank  # noqa: E402
from matcher import factors as factors_module  # noqa: E402
from matcher import ranking as ranking_module  # noqa: E402
from matcher.scorer import LinearScorer  # noqa: E402
from webapp import allocator  # noqa: E402

STEPS = {
    ranking_module: ("factor_parts", "_shown_rows", "_keep", "_reachable", "location_factor",
                     "_scores", "top_k", "_hits", "_distinct", "_matches"),
    factors_module: ("_sector", "_language", "sparse_dot", "_discrete_factors"),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return sample_args(__doc__.splitlines()[0], argv)


def ms_per_ranking(index, queries) -> float:
    """Return the mean milliseconds of ranking each query once."""
    started = time.perf_counter()
    for query in queries:
        rank(index, query)
    return (time.perf_counter() - started) / len(queries) * 1000


def compare_bounds(index, queries, rounds: int = 10) -> None:
    """Print the ranking's time with the bound summed per pattern and with every factor
    gathered first, in alternating rounds (the machine's speed moves both alike)."""
    times: dict[str, list[float]] = {"per pattern": [], "every factor gathered": []}
    for round_ in range(rounds):
        order = list(times) if round_ % 2 == 0 else list(times)[::-1]
        for way in order:
            if way == "per pattern":
                times[way].append(ms_per_ranking(index, queries))
            else:
                with mock.patch.object(LinearScorer, "linear_weights", return_value=None):
                    times[way].append(ms_per_ranking(index, queries))
    for way, values in times.items():
        print(f"  bound {way:22s} {statistics.median(values):.3f} ms a ranking (median of "
              f"{rounds} rounds)")
    ratios = [a / b for a, b in zip(*times.values(), strict=True)]
    print(f"  ratio per pattern / every factor gathered: {statistics.median(ratios):.3f}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    allocator.tune()
    candidates, queries = make_records("mentor", args.candidates, args.queries, args.seed)
    bundle = build_bundle(candidates[:20_000] + queries, version="steps")
    index = CandidateIndex.build(bundle, "mentor", candidates)
    ms_per_ranking(index, queries)  # warm-up
    compare_bounds(index, queries)
    plain = ms_per_ranking(index, queries)
    totals: dict[str, float] = defaultdict(float)
    for module, names in STEPS.items():
        for name in names:
            setattr(module, name,
                    clocked(totals, name, getattr(module, name), clock=time.perf_counter))
    wrapped = ms_per_ranking(index, queries)
    print(f"{len(index):,} mentors, {len(queries)} SME queries, top 10: "
          f"{plain:.3f} ms a ranking ({wrapped:.3f} ms with the timers)")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {name:20s} {seconds / len(queries) * 1000:7.3f} ms")


if __name__ == "__main__":
    main()
