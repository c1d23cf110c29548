"""Measure worker start-up: time to the first match answered and memory per worker, with each
worker building its indexes (before) and mapping the snapshot (after), in the same run.

Seeds N profiles (as ``scripts/bench_http.py`` does; PostgreSQL by default, ``--sqlite``),
which also writes the matching snapshot (``seed-demo``), then starts the real server
(gunicorn, ``--workers``) twice on the same database: once with an empty snapshot directory,
so every worker loads the profiles, fits the default bundle and builds its indexes as before,
and mapping the snapshot, without and with gunicorn's ``--preload`` (the app imported once
by the master, workers forked from it). For each it prints the seconds from starting gunicorn
to the first ``GET /api/v1/smes/<id>/matches`` answered, to every worker having answered one,
from stopping one worker to the one gunicorn starts in its place answering one (a worker's own
start-up), and each worker's memory from ``/proc/<pid>/smaps_rollup`` after it ranked: RSS,
PSS (shared pages split between the processes mapping them) and USS (pages only it holds: what
one more worker costs)::

    python scripts/bench_startup.py              # 100,000 mentors, 1,000 SMEs, 1,000 buyers
    python scripts/bench_startup.py --mentors 1000000 --sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.bench_http import fetch, prepare, start_gunicorn, stop  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/puente_bench_startup"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=100000)
    parser.add_argument("--smes", type=int, default=1000)
    parser.add_argument("--buyers", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=900,
                        help="gunicorn worker timeout (building workers need long at 1M).")
    parser.add_argument("--sqlite", action="store_true", help="Use a SQLite file instead.")
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--reuse", action="store_true",
                        help="Keep the database's profiles (the snapshot is built anew).")
    parser.add_argument("--only", nargs="+", choices=("build", "snapshot", "preload"),
                        help="Start the server these ways only.")
    parser.add_argument("--json", type=Path, help="Also write the results to this file.")
    return parser.parse_args(argv)


def memory_kb(pid: int) -> dict[str, int]:
    """Return a process's RSS, PSS and USS (private clean + dirty) in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def worker_pids(master: int) -> list[int]:
    """Return the gunicorn master's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


ACCESS_FORMAT = "--access-logformat '%(p)s %(s)s %(U)s'"  # gunicorn reads GUNICORN_CMD_ARGS


def start_and_time(env: dict, args: argparse.Namespace, url: str, headers: dict,
                   log: Path, gunicorn_args: str = "") -> dict:
    """Start the server; time its first answer and every worker's; measure each worker; then
    stop one worker and time until the one gunicorn starts in its place answers a match."""
    env = {**env, "GUNICORN_CMD_ARGS": f"{ACCESS_FORMAT} {gunicorn_args}".strip()}
    log.write_text("")
    started = time.monotonic()
    server, base = start_gunicorn("webapp:create_app()", env, args, log)
    try:
        status = fetch(base + url, headers, timeout=args.timeout)
        first = time.monotonic() - started
        if status != 200:
            raise SystemExit(f"{url} answered {status}; see {log}")
        pids = worker_pids(server.pid)
        answer_until(lambda: set(pids) <= answered_by(log), base + url, headers, args, log)
        every = time.monotonic() - started
        memory = [memory_kb(pid) for pid in pids]
        os.kill(pids[0], signal.SIGTERM)  # a worker of the server this script started
        stopped = time.monotonic()
        while (fresh := set(worker_pids(server.pid)) - set(pids)) == set():
            time.sleep(0.01)
        answer_until(lambda: bool(fresh & answered_by(log)), base + url, headers, args, log)
        restart = time.monotonic() - stopped
    finally:
        stop(server)
    return {"first_s": first, "every_worker_s": every, "restart_s": restart,
            "workers": memory}


def answer_until(done, url: str, headers: dict, args: argparse.Namespace, log: Path) -> None:
    """Send concurrent match requests (every worker gets some) until ``done()``."""
    with ThreadPoolExecutor(args.workers * 2) as pool:
        while not done():
            statuses = list(pool.map(lambda _: fetch(url, headers, timeout=args.timeout),
                                     range(args.workers * 2)))
            if any(s != 200 for s in statuses):
                raise SystemExit(f"{url} answered {sorted(set(statuses))}; see {log}")


def answered_by(log: Path) -> set[int]:
    """Return the worker processes whose access-log lines show a match answered."""
    return {int(m.group(1)) for m in re.finditer(r"<(\d+)> 200 /api/v1/smes/\d+/matches",
                                                  log.read_text())}


def run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        workdir = Path(tmp)
        env, tokens = prepare(args, workdir)
        url = f"/api/v1/smes/{tokens['sme_profile']}/matches?plain=false"
        headers = {"Authorization": f"Bearer {tokens['coordinator']}"}
        (workdir / "none").mkdir()
        modes = {"build": ("each worker builds its indexes", workdir / "none", ""),
                 "snapshot": ("workers map the snapshot", workdir / "snapshots", ""),
                 "preload": ("map the snapshot, --preload", workdir / "snapshots",
                             "--preload")}
        results = {}
        for key, (label, directory, extra) in modes.items():
            if args.only and key not in args.only:
                continue
            print(f"starting: {label}", flush=True)
            results[key] = {"label": label, **start_and_time(
                {**env, "PUENTE_SNAPSHOT_DIR": str(directory)}, args, url, headers,
                workdir / f"{key}.log", extra)}
        snapshot = sum(f.stat().st_size for f in (workdir / "snapshots").rglob("*")
                       if f.is_file())
    return {"profiles": args.smes + args.mentors + args.buyers,
            "database": "sqlite" if args.sqlite else "postgresql", "workers": args.workers,
            "snapshot_bytes": snapshot, "results": results}


def report(figures: dict) -> str:
    """Return the figures as a table."""
    lines = [f"{figures['profiles']:,} profiles on {figures['database']}, "
             f"{figures['workers']} gunicorn workers; snapshot on disk "
             f"{figures['snapshot_bytes'] / 2**20:.0f} MB",
             f"{'start-up':<30} {'first match s':>13} {'all workers s':>13} "
             f"{'worker restart s':>16} {'RSS MB/worker':>13} {'PSS MB':>7} {'USS MB':>7}"]
    for row in figures["results"].values():
        workers = row["workers"]

        def mean(name: str, workers=workers) -> float:
            return sum(w[name] for w in workers) / len(workers) / 1024
        lines.append(f"{row['label']:<30} {row['first_s']:>13.1f} {row['every_worker_s']:>13.1f} "
                     f"{row['restart_s']:>16.1f} {mean('rss'):>13.0f} {mean('pss'):>7.0f} "
                     f"{mean('uss'):>7.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    figures = run(args)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
