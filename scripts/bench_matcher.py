"""Benchmark the matcher's candidate index against brute-force baselines.

    .venv/bin/python scripts/bench_matcher.py [--sizes 10000,100000,1000000] [--quick]

For each size, synthetic candidates (``webapp.demo.generator``) are indexed with one bundle
(encoders fitted once on a sample) and ranked for synthetic queries. Reported, in one run:
index build time; single-query top-10 latency p50/p95 (``rank`` end to end: query encoding,
all factors, filters, top-k, reasons); batch throughput over the queries in one process and in
two forked processes; index memory per candidate (sum of array ``nbytes``); and the same
queries answered by brute force on the same features:

* *dense*: NumPy ``X @ q`` + ``argpartition`` over the dense concatenation of the weighted
  factor features (sector prefixes, TF-IDF, languages, needs, unit vectors). When that matrix
  exceeds ``--dense-budget-gb`` it is timed on a 100,000-row block and scaled linearly (the
  product is memory-bound), and marked ``~``;
* *sklearn*: ``NearestNeighbors(algorithm="brute", metric="cosine")`` on the same (sparse)
  concatenation, timed on ``--nn-queries`` queries;
* *floor*: a dense 128-float matrix-vector product + ``argpartition`` on random data, the
  memory-bandwidth floor of any exact scan.

BLAS/OpenMP are pinned to one thread, as in a web worker.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import multiprocessing  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matcher import (  # noqa: E402
    CandidateIndex,
    ProfileRecord,
    build_bundle,
    library_versions,
    pairing_for,
    rank,
)
from matcher.features import ProfileArrays, encode_profiles  # noqa: E402
from webapp import allocator  # noqa: E402
from webapp.demo.generator import generate_profiles  # noqa: E402

QUERY_KIND = {"mentor": "sme", "buyer": "sme", "sme": "buyer"}
DIRECTION = {"mentor": "mentorship", "buyer": "trade_buyer", "sme": "trade_buyer"}
DENSE_BLOCK = 100_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="comma-separated candidate counts (default 10k,100k,1M)")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 10k,100k and 200 queries (a smoke run)")
    parser.add_argument("--kind", choices=sorted(QUERY_KIND), default="mentor",
                        help="candidate kind (queries are SMEs, or buyers for SMEs)")
    parser.add_argument("--queries", type=int, default=1000, help="queries per size")
    parser.add_argument("--nn-queries", type=int, default=20, help="queries for sklearn NN")
    parser.add_argument("--fit-sample", type=int, default=50_000,
                        help="candidates the bundle's encoders are fitted on")
    parser.add_argument("--dense-budget-gb", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--default-allocator", action="store_true",
                        help="leave glibc's allocator as it is (the web app keeps freed memory: "
                             "webapp.allocator)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",")]
    if args.quick:
        args.sizes, args.queries = [s for s in args.sizes if s <= 100_000] or [10_000], 200
    return args


def sample_args(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    """Return the arguments of a script that ranks demo SMEs against demo mentors:
    ``--candidates``, ``--queries`` and ``--seed`` (for :func:`make_records`)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def make_records(kind: str, count: int, queries: int, seed: int) -> tuple[list, list]:
    """Return ``count`` candidate and ``queries`` query records from the demo generator."""
    query_kind = QUERY_KIND[kind]
    wanted = {"sme": 0, "mentor": 0, "buyer": 0}
    wanted[kind] += count
    wanted[query_kind] += queries
    ids = itertools.count(1)
    candidates, asked = [], []
    for row in generate_profiles(wanted["sme"], wanted["mentor"], wanted["buyer"], seed):
        record = ProfileRecord.from_mapping({**row, "id": next(ids)})
        (candidates if record.kind == kind else asked).append(record)
    # SME queries and SME candidates come from the same stream: keep them apart.
    if kind == query_kind:
        asked, candidates = candidates[:queries], candidates[queries:]
    return candidates, asked


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    """Return the q-th percentile of durations, in milliseconds."""
    return float(np.percentile(np.asarray(seconds) * 1e3, q))


def time_each(function: Callable[[object], object], items: Sequence[object]) -> list[float]:
    """Return the wall time of ``function(item)`` for each item (one warm-up call first)."""
    function(items[0])
    durations = []
    for item in items:
        start = time.perf_counter()
        function(item)
        durations.append(time.perf_counter() - start)
    return durations


def _rank_share(args: tuple[int, int]) -> int:
    first, step = args
    for query in _SHARED["queries"][first::step]:
        rank(_SHARED["index"], query, 10)
    return len(_SHARED["queries"][first::step])


_SHARED: dict[str, object] = {}


def throughput(index: CandidateIndex, queries: Sequence[ProfileRecord], workers: int) -> float:
    """Return queries per second over ``queries``, split over forked worker processes.

    The processes share the index copy-on-write, like gunicorn workers forked after loading.
    """
    _SHARED.update(index=index, queries=list(queries))
    shares = [(i, workers) for i in range(workers)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        pool.map(_warm_up, range(workers))  # the workers exist before the clock starts
        start = time.perf_counter()
        done = sum(pool.map(_rank_share, shares, chunksize=1))
        return done / (time.perf_counter() - start)


def _warm_up(_: int) -> None:
    rank(_SHARED["index"], _SHARED["queries"][0], 10)


@dataclass
class Features:
    """The weighted concatenation of factor features used by both brute-force baselines."""

    candidates: sp.csr_matrix
    queries: sp.csr_matrix


def used_columns(*matrices: sp.spmatrix) -> np.ndarray:
    """Return the columns holding a value in any of ``matrices``."""
    return np.unique(np.concatenate([sp.csc_matrix(m).nonzero()[1] for m in matrices]))


def concatenated(bundle, arrays: ProfileArrays, role: str,
                 weights: dict[str, float] | None,
                 columns: dict[str, np.ndarray]) -> sp.csr_matrix:
    """Return [sector | text | languages | needs | unit vectors], each block weighted.

    Sector and language blocks keep ``columns`` only (those any profile uses: the encoders'
    columns are the whole taxonomy, mostly empty, which would only inflate the dense baseline).
    """
    encoders, w = bundle.encoders, weights or {}
    needs = encoders["needs"].to_multi_hot(arrays.codes if arrays.codes is not None
                                          else np.zeros(len(arrays), np.uint64))
    norms = np.linalg.norm(needs, axis=1, keepdims=True)
    blocks = [
        (sp.csc_matrix(arrays.sector)[:, columns["sector"]], w.get("sector", 1.0)),
        (arrays.texts[role], w.get("text", 1.0)),
        (sp.csc_matrix(arrays.languages)[:, columns["languages"]], w.get("language", 1.0)),
        (sp.csr_matrix(needs / np.where(norms > 0, norms, 1)), w.get("needs", 1.0)),
        (sp.csr_matrix(arrays.units), w.get("location", 1.0)),
    ]
    return sp.hstack([block * weight for block, weight in blocks], format="csr",
                     dtype=np.float32)


def baseline_features(index: CandidateIndex, queries: Sequence[ProfileRecord]) -> Features:
    """Return the concatenated features of the index's candidates and of the queries."""
    bundle = index.bundle
    weights = bundle.scorers[DIRECTION[index.kind]].weights_
    candidates = ProfileArrays.concat([s.live() for s in index.segments], fmt="csr")
    role = pairing_for(queries[0].kind, index.kind).name
    asked = encode_profiles(bundle.encoders, list(queries), queries[0].kind, roles=(role,))
    columns = {name: used_columns(getattr(candidates, name), getattr(asked, name))
               for name in ("sector", "languages")}
    return Features(concatenated(bundle, candidates, role, weights, columns),
                    concatenated(bundle, asked, role, None, columns))


def dense_latency(features: Features, budget_gb: float, count: int) -> tuple[float, bool]:
    """Return the dense baseline's p50 (ms) and whether it was scaled from a block."""
    X = features.candidates
    n, width = X.shape
    scaled = n * width * 4 > budget_gb * 2**30
    rows = min(n, DENSE_BLOCK) if scaled else n
    dense = X[:rows].toarray()
    queries = [features.queries[i].toarray().ravel() for i in range(count)]

    def answer(q: np.ndarray) -> np.ndarray:
        scores = dense @ q
        top = np.argpartition(scores, -10)[-10:]
        return top[np.argsort(-scores[top])]
    p50 = percentile_ms(time_each(answer, queries), 50)
    return (p50 * n / rows if scaled else p50), scaled


def sklearn_latency(features: Features, count: int) -> float:
    """Return the p50 (ms) of sklearn's brute-force cosine NearestNeighbors."""
    model = NearestNeighbors(n_neighbors=10, algorithm="brute", metric="cosine", n_jobs=1)
    model.fit(features.candidates)
    queries = [features.queries[i] for i in range(count)]
    return percentile_ms(time_each(lambda q: model.kneighbors(q, 10), queries), 50)


def floor_latency(n: int, count: int = 50) -> float:
    """Return the p50 (ms) of a dense 128-float mat-vec + argpartition over n random rows."""
    rng = np.random.default_rng(0)
    X = rng.random((n, 128), dtype=np.float32)
    queries = [rng.random(128, dtype=np.float32) for _ in range(count)]
    return percentile_ms(time_each(lambda q: np.argpartition(X @ q, -10)[-10:], queries), 50)


@dataclass
class Result:
    """The figures of one candidate-set size."""

    size: int
    indexed: int
    build_s: float
    bytes_per_candidate: float
    p50_ms: float
    p95_ms: float
    qps_one: float
    qps_two: float
    dense_ms: float
    dense_scaled: bool
    sklearn_ms: float
    floor_ms: float


def bench_size(bundle, kind: str, candidates: list, queries: list,
               args: argparse.Namespace) -> Result:
    """Build the index of ``candidates`` and measure it and the baselines."""
    start = time.perf_counter()
    index = CandidateIndex.build(bundle, kind, candidates)
    build_s = time.perf_counter() - start
    latencies = time_each(lambda query: rank(index, query, 10), queries)
    qps_two = throughput(index, queries, 2)
    features = baseline_features(index, queries[:max(50, args.nn_queries)])
    dense_ms, scaled = dense_latency(features, args.dense_budget_gb, 50)
    return Result(
        size=len(candidates), indexed=len(index), build_s=build_s,
        bytes_per_candidate=index.nbytes / len(index),
        p50_ms=percentile_ms(latencies, 50), p95_ms=percentile_ms(latencies, 95),
        qps_one=len(latencies) / sum(latencies), qps_two=qps_two,
        dense_ms=dense_ms, dense_scaled=scaled,
        sklearn_ms=sklearn_latency(features, args.nn_queries),
        floor_ms=floor_latency(len(index)),
    )


def table(results: list[Result]) -> str:
    """Return the results as a markdown table."""
    lines = [
        "| candidates | build (s) | index bytes / candidate | top-10 p50 (ms) | p95 (ms) "
        "| batch q/s (1 proc) | batch q/s (2 procs) | dense NumPy p50 (ms) "
        "| sklearn NN p50 (ms) | 128-d floor p50 (ms) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        dense = f"{'~' if r.dense_scaled else ''}{r.dense_ms:,.1f}"
        lines.append(
            f"| {r.size:,} ({r.indexed:,} active) | {r.build_s:.1f} | "
            f"{r.bytes_per_candidate:,.0f} | {r.p50_ms:.2f} | {r.p95_ms:.2f} | "
            f"{r.qps_one:,.0f} | {r.qps_two:,.0f} | {dense} | {r.sklearn_ms:,.1f} | "
            f"{r.floor_ms:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the markdown report."""
    args = parse_args(argv)
    tuned = not args.default_allocator and allocator.tune()
    start = time.perf_counter()
    candidates, queries = make_records(args.kind, max(args.sizes), args.queries, args.seed)
    generated_s = time.perf_counter() - start
    start = time.perf_counter()
    bundle = build_bundle(candidates[:args.fit_sample] + queries, version="bench")
    fit_s = time.perf_counter() - start
    results = []
    for size in sorted(args.sizes):
        results.append(bench_size(bundle, args.kind, candidates[:size], queries, args))
        print(f"... {size:,} done", file=sys.stderr, flush=True)
    versions = library_versions()
    print(f"# Matcher benchmark: {QUERY_KIND[args.kind]} queries -> {args.kind} candidates\n")
    print(f"{os.cpu_count()} CPUs, Python {platform.python_version()}, NumPy "
          f"{versions['numpy']}, SciPy {versions['scipy']}, scikit-learn "
          f"{versions['scikit-learn']}; BLAS/OpenMP threads = 1; allocator "
          f"{'keeping freed memory (webapp.allocator, as the web app)' if tuned else 'defaults'}"
          f". Candidates from "
          f"webapp.demo.generator (seed {args.seed}, {generated_s:.0f} s for "
          f"{len(candidates):,}); bundle encoders fitted on "
          f"{min(args.fit_sample, len(candidates)):,} candidates + {len(queries):,} queries in "
          f"{fit_s:.1f} s. {len(queries):,} queries per size for latency and throughput; "
          f"50 for the dense baseline, {args.nn_queries} for sklearn.\n")
    print(table(results))
    print("\n`~`: dense matrix over the memory budget, timed on a 100,000-row block and scaled.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
