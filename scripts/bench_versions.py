"""Compare the ranking speed of two checkouts of Puente, interleaved so machine load hits both.

    .venv/bin/python scripts/bench_versions.py --old /tmp/old [--new .] [--size 100000]
        [--queries 200] [--rounds 20] [--kind mentor] [--old-env NAME=VALUE] [--new-env ...]

Each checkout runs in a worker process of its own (``<checkout>/.venv/bin/python``, importing
that checkout's ``matcher``): both build the same index (``bench_matcher.make_records``: demo
candidates, one bundle fitted on a sample plus the queries) and then, on command, rank the same
top-10 queries and report the **CPU time** (``time.process_time``) of each ``rank`` call. The
driver alternates the two workers round by round (old, new, new, old, ...), so a burst of load
from other jobs falls on both; only one worker ranks at a time. Printed: per version the median
and p95 of per-query CPU time over all rounds, the median of the per-round median ratio
new / old with its spread (quartiles of the rounds), the median wall time for reference, and
the minor page faults per query (median over rounds). ``--old-env``/``--new-env`` start one
worker with extra environment variables: ``--old . --new-env GLIBC_TUNABLES=…`` compares the
same checkout under two allocator settings.

The worker mode (``--worker CHECKOUT``) is what the driver starts; it reads commands on stdin.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="checkout of the baseline (with its .venv)")
    parser.add_argument("--new", type=Path, default=ROOT, help="checkout measured (this one)")
    parser.add_argument("--size", type=int, default=100_000, help="candidates (100,000)")
    parser.add_argument("--queries", type=int, default=200, help="queries per round (200)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds per version (20)")
    parser.add_argument("--kind", default="mentor", help="candidate kind (mentor)")
    parser.add_argument("--fit-sample", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--old-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment variable for the old worker only (repeatable)")
    parser.add_argument("--new-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment variable for the new worker only (repeatable); e.g. "
                             "--old . --new-env GLIBC_TUNABLES=... compares one checkout's "
                             "rankings under two allocator settings")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is None and args.old is None:
        parser.error("--old is required")
    return args


def serve(checkout: Path, args: argparse.Namespace) -> int:
    """Worker: build the index with ``checkout``'s matcher, then time rankings on command."""
    sys.path.insert(0, str(checkout))
    sys.path.insert(0, str(checkout / "scripts"))
    from bench_matcher import make_records

    from matcher import CandidateIndex, build_bundle, rank

    candidates, queries = make_records(args.kind, args.size, args.queries, args.seed)
    bundle = build_bundle(candidates[:args.fit_sample] + queries, version="bench")
    index = CandidateIndex.build(bundle, args.kind, candidates)
    for query in queries[:20]:
        rank(index, query, 10)
    print(json.dumps({"ready": len(index)}), flush=True)
    for line in sys.stdin:
        if line.strip() != "round":
            break
        cpu, wall = [], []
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for query in queries:
            c0, w0 = time.process_time(), time.perf_counter()
            rank(index, query, 10)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        print(json.dumps({"cpu": cpu, "wall": wall, "faults": faults / len(queries)}),
              flush=True)
    return 0


def start_worker(checkout: Path, args: argparse.Namespace,
                 env: list[str] = ()) -> subprocess.Popen:
    """Start a worker process for ``checkout`` (with the ``NAME=VALUE`` variables of ``env``
    added to its environment) and wait until its index is built."""
    python = checkout.resolve() / ".venv/bin/python"
    command = [str(python), str(Path(__file__).resolve()), "--worker", str(checkout.resolve()),
               "--size", str(args.size), "--queries", str(args.queries), "--kind", args.kind,
               "--fit-sample", str(args.fit_sample), "--seed", str(args.seed)]
    extra = dict(item.split("=", 1) for item in env)
    worker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=checkout, env={**os.environ, **extra})
    json.loads(worker.stdout.readline())
    return worker


def one_round(worker: subprocess.Popen) -> dict[str, list[float]]:
    """Ask ``worker`` for one round of timed rankings."""
    worker.stdin.write("round\n")
    worker.stdin.flush()
    return json.loads(worker.stdout.readline())


def compare(args: argparse.Namespace) -> dict[str, dict]:
    """Return per-version timings and the per-round ratios, rounds interleaved."""
    import numpy as np

    workers = {"old": start_worker(args.old, args, args.old_env),
               "new": start_worker(args.new, args, args.new_env)}
    times = {name: {"cpu": [], "wall": [], "round_cpu": [], "faults": []} for name in workers}
    try:
        for number in range(args.rounds):
            order = ("old", "new") if number % 2 == 0 else ("new", "old")
            for name in order:
                result = one_round(workers[name])
                times[name]["cpu"] += result["cpu"]
                times[name]["wall"] += result["wall"]
                times[name]["faults"].append(result["faults"])
                times[name]["round_cpu"].append(float(np.median(result["cpu"])))
            print(f"... round {number + 1}/{args.rounds}", file=sys.stderr, flush=True)
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait(timeout=60)
    ratios = np.array(times["new"]["round_cpu"]) / np.array(times["old"]["round_cpu"])
    return {"times": times, "ratios": ratios}


def report(result: dict, args: argparse.Namespace) -> str:
    """Return the comparison as a markdown table and a sentence on the ratio."""
    import numpy as np

    lines = [f"top-10 rankings over {args.size:,} {args.kind} candidates, {args.queries} "
             f"queries x {args.rounds} interleaved rounds per version\n",
             "| version | CPU p50 (ms) | CPU p95 (ms) | wall p50 (ms) | page faults / query |",
             "|---|---:|---:|---:|---:|"]
    for name, checkout, env in (("old", args.old, args.old_env),
                                ("new", args.new, args.new_env)):
        t = result["times"][name]
        label = f"{name} ({checkout}{''.join(' ' + item for item in env)})"
        lines.append(f"| {label} | {np.percentile(t['cpu'], 50) * 1e3:.2f} | "
                     f"{np.percentile(t['cpu'], 95) * 1e3:.2f} | "
                     f"{np.percentile(t['wall'], 50) * 1e3:.2f} | "
                     f"{np.median(t['faults']):.1f} |")
    q1, q2, q3 = np.percentile(result["ratios"], [25, 50, 75])
    lines.append(f"\nper-round median CPU time, new / old: median {q2:.3f} "
                 f"(quartiles {q1:.3f}-{q3:.3f} over {args.rounds} rounds)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the driver (or a worker) and print the report."""
    args = parse_args(argv)
    if args.worker is not None:
        return serve(args.worker, args)
    print(report(compare(args), args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
