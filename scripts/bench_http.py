"""Measure the request path: the real server under load, next to a minimal NumPy top-10 app.

Seeds N profiles into a fresh database (PostgreSQL by default, SQLite with ``--sqlite``), runs
``VACUUM ANALYZE`` (``ANALYZE`` on SQLite), starts the real server the way ``make run`` does
(gunicorn, 2 workers, access log on) and, in the same run, ``scripts/minimal_topk_app.py`` (a
Flask app doing a NumPy top-10 over as many 128-float vectors as there are profiles). Each is
warmed up, then driven for a bounded time at a fixed number of connections by ``wrk`` when it is
installed (else by a threaded client in a separate process), and the figures are printed side by
side, with the CPU time per request of the server's processes and of PostgreSQL's (read from
``/proc``). Both servers run throughout: each endpoint's time is cut into ``--rounds`` slices,
each after a slice as long on the minimal app, and its share is of the minimal app's rate in
those slices, so a shared machine's speed, which moves by tens of percent within minutes, moves
both sides of each ratio alike; the range of the slices' own shares (``slices``) tells how much
it still moved them. Before each slice both servers and PostgreSQL are left to
finish what the last one started (see :func:`settle`)::

    python scripts/bench_http.py                      # 20,000 mentors, 1,000 SMEs, 1,000 buyers
    python scripts/bench_http.py --mentors 100000     # the issue's size
    python scripts/bench_http.py --reuse              # keep the seeded database (migrations run)

Only loopback addresses are used; every load is bounded in time and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp import allocator  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/puente_bench_e"
# Both apps run alike: one BLAS thread, and freed memory kept for reuse (webapp.allocator; the
# web app also sets it itself when created).
THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "GLIBC_TUNABLES": allocator.GLIBC_TUNABLES}

TOKENS_SCRIPT = """
import json
from webapp import create_app
from webapp.services import accounts
app = create_app()
with app.app_context():
    out = {}
    for role in ("sme", "coordinator"):
        user = accounts.find_user_by_email(f"{role}@demo.puente.test")
        out[role] = accounts.issue_token(user, "bench")[1]
        if role == "sme":
            out["sme_profile"] = user.profile.id
    print(json.dumps(out))
"""


@dataclass(frozen=True)
class Result:
    """What one bounded load measured."""

    name: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    # CPU time per request answered: the server's processes (master and workers) and the
    # database server's (PostgreSQL's backends; 0 for SQLite, which runs inside the workers).
    server_cpu_ms: float = 0.0
    database_cpu_ms: float = 0.0
    # The minimal app's rate in the slices interleaved with this endpoint's (0: not paired).
    baseline_rps: float = 0.0
    # Minor page faults of the server's processes per request (memory faulted in afresh).
    server_faults: float = 0.0
    # Each slice's rate over the minimal app's slice just before it (paired endpoints only):
    # how far they spread is how much this shared machine moved within the run.
    slice_shares: tuple[float, ...] = ()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentors", type=int, default=20000)
    parser.add_argument("--smes", type=int, default=1000)
    parser.add_argument("--buyers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=15.0,
                        help="Load time per endpoint (and as long again on the minimal app).")
    parser.add_argument("--rounds", type=int, default=3,
                        help="Slices each endpoint's time is cut into, each after a slice of "
                             "the minimal app: both see the same machine (default: 3).")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (each app).")
    parser.add_argument("--timeout", type=int, default=120,
                        help="gunicorn worker timeout: a worker builds its indexes on its "
                             "first ranking, which the warm-up waits for.")
    parser.add_argument("--sqlite", action="store_true", help="Use a SQLite file instead.")
    parser.add_argument("--database-url", default=DEFAULT_PG,
                        help="PostgreSQL database to drop and create (default: %(default)s).")
    parser.add_argument("--reuse", action="store_true",
                        help="Keep the database's profiles; only upgrade and ANALYZE it.")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--json", type=Path, help="Also write the results to this file.")
    parser.add_argument("--default-allocator", action="store_true",
                        help="Run both apps with glibc's allocator as it is (the web app's "
                             "PUENTE_KEEP_FREED_MEMORY=false), to measure what keeping freed "
                             "memory gives.")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="Load only the endpoints whose name holds TEXT, or only the "
                             "one whose whole name it is (repeatable; the minimal app is "
                             "always measured). The targets need them all.")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    args.slice = args.seconds / args.rounds
    return args


# --- databases and seeding -------------------------------------------------------------------

def recreate_postgres(url: str) -> None:
    """Drop and create the database the URL names (on the same server)."""
    import psycopg

    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing to recreate database {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def analyze(url: str) -> None:
    """Refresh the planner's statistics (SQLite's too) and, on PostgreSQL, the visibility map
    that index-only scans need: what autovacuum keeps up in production, off on this machine."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute("ANALYZE")
        return
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def flask_command(env: dict[str, str], *args: str) -> str:
    """Run ``flask --app webapp <args>``; return what it printed."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(args: argparse.Namespace, workdir: Path) -> tuple[dict[str, str], dict]:
    """Create, seed and analyze the database; return the servers' environment and tokens."""
    url = f"sqlite:///{workdir / 'bench.db'}" if args.sqlite else args.database_url
    if not args.sqlite and not args.reuse:
        recreate_postgres(url)
    env = {**os.environ, **THREAD_ENV, "DATABASE_URL": url,
           **({"GLIBC_TUNABLES": "", "PUENTE_KEEP_FREED_MEMORY": "false"}
              if getattr(args, "default_allocator", False) else {}),  # bench_startup: none
           "SECRET_KEY": "bench-http-not-secret", "PYTHONPATH": str(ROOT),
           "PUENTE_SNAPSHOT_DIR": str(workdir / "snapshots")}
    flask_command(env, "init-db")
    if not args.reuse or args.sqlite:
        started = time.perf_counter()
        flask_command(env, "seed-demo", "--smes", str(args.smes), "--mentors",
                      str(args.mentors), "--buyers", str(args.buyers), "--no-history")
        print(f"seeded {args.smes + args.mentors + args.buyers:,} profiles in "
              f"{time.perf_counter() - started:.1f} s (snapshot included)", flush=True)
    analyze(url)
    if not (workdir / "snapshots" / "CURRENT").exists():  # seed-demo writes one
        started = time.perf_counter()
        flask_command(env, "build-snapshot")  # what the workers map
        print(f"built the matching snapshot in {time.perf_counter() - started:.1f} s",
              flush=True)
    done = subprocess.run([sys.executable, "-c", TOKENS_SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return env, json.loads(done.stdout.strip().splitlines()[-1])


# --- servers ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app: str, env: dict[str, str], args: argparse.Namespace,
                   log: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn as ``make run`` does; return the process and its base URL."""
    port = free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--bind",
             f"127.0.0.1:{port}", "--timeout", str(args.timeout), "--access-logfile", "-",
             app], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{app} exited; see {log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"{app} did not listen within 60 s; see {log}")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server this script started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def fetch(url: str, headers: dict[str, str], timeout: float = 300) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def warm_up(url: str, headers: dict[str, str], workers: int) -> None:
    """Send concurrent requests until every worker has answered (first rankings build the
    indexes); fail when the endpoint does not answer 200."""
    with ThreadPoolExecutor(workers * 2) as pool:
        for _ in range(3):
            statuses = list(pool.map(lambda _: fetch(url, headers), range(workers * 2)))
            if any(status != 200 for status in statuses):
                raise SystemExit(f"{url} answered {sorted(set(statuses))} during warm-up")


# --- load ------------------------------------------------------------------------------------

def use_wrk(choice: str) -> bool:
    if choice == "auto":
        return shutil.which("wrk") is not None
    return choice == "wrk"


def _duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def run_wrk(name: str, url: str, headers: dict[str, str], args: argparse.Namespace) -> Result:
    """Drive the URL with wrk (2 threads) and parse its report."""
    seconds = max(1, round(args.slice))  # wrk takes whole seconds
    command = ["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{seconds}s",
               "--timeout", "10s", "--latency"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    requests, value, unit = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out).groups()
    seconds_f = _duration_ms(value + unit) / 1e3
    percentile = {p: _duration_ms(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\S+)$", out, re.M)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    count = int(requests)
    return Result(name, count, seconds_f, count / seconds_f, percentile.get("50", 0.0),
                  percentile.get("99", 0.0), errors)


def _client_loop(url: str, headers: dict[str, str], seconds: float, connections: int,
                 queue) -> None:
    """Run ``connections`` keep-alive threads until the deadline; report the latencies."""
    import http.client

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                ok = False
            latencies.append((time.perf_counter() - started) * 1e3)
            errors[0] += not ok
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors[0], time.monotonic() - started))


def run_python(name: str, url: str, headers: dict[str, str],
               args: argparse.Namespace) -> Result:
    """Drive the URL from a separate process of keep-alive threads."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    proc = context.Process(target=_client_loop,
                           args=(url, headers, args.slice, args.connections, queue))
    proc.start()
    latencies, errors, seconds = queue.get(timeout=args.slice + 120)
    proc.join()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return Result(name, len(latencies), seconds, len(latencies) / seconds, pct(0.50),
                  pct(0.99), errors)


def _stat_total(pids: list[int], *columns: int) -> int:
    """Return the sum of these /proc/<pid>/stat columns (0: the field after the command's
    name) over the processes still alive."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(fields[column]) for column in columns)
    return total


def cpu_ticks(pids: list[int]) -> int:
    """Return the user + system CPU ticks the processes have used (those still alive)."""
    return _stat_total(pids, 11, 12)  # utime, stime


def _minor_faults(pids: list[int]) -> int:
    """Return the minor page faults the processes have taken (those still alive)."""
    return _stat_total(pids, 7)  # minflt


def _server_pids(server: subprocess.Popen) -> list[int]:
    """Return the gunicorn master and its workers."""
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        children = []
    return [server.pid, *map(int, children)]


def _database_pids() -> list[int]:
    """Return this host's PostgreSQL server processes (none with SQLite)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def settle(groups: list[list[int]], quiet_ticks: int = 1, most_s: float = 10.0) -> float:
    """Wait until the processes are idle (at most ``quiet_ticks`` CPU ticks in 0.25 s, twice
    running), at most ``most_s``; return the seconds waited. The work an endpoint leaves
    behind (a worker's exposure flush, PostgreSQL writing what it inserted) then is not
    counted, nor competes, in the next slice."""
    started = time.monotonic()
    quiet, before = 0, sum(cpu_ticks(group) for group in groups)
    while quiet < 2 and time.monotonic() - started < most_s:
        time.sleep(0.25)
        after = sum(cpu_ticks(group) for group in groups)
        quiet = quiet + 1 if after - before <= quiet_ticks else 0
        before = after
    return time.monotonic() - started


def measure(name: str, url: str, headers: dict[str, str], args: argparse.Namespace,
            workers: int, server: subprocess.Popen | None = None,
            others: tuple[subprocess.Popen, ...] = ()) -> Result:
    """Warm the endpoint up, wait for every server (``server``, ``others``, PostgreSQL) to
    be idle, load it; return its figures with the CPU its server and PostgreSQL spent."""
    warm_up(url, headers, workers)
    everyone = [_server_pids(p) for p in (server, *others) if p is not None]
    settle([*everyone, [] if args.sqlite else _database_pids()])
    run = run_wrk if use_wrk(args.client) else run_python
    pids = (_server_pids(server) if server else []), ([] if args.sqlite else _database_pids())
    before, faults = [cpu_ticks(group) for group in pids], _minor_faults(pids[0])
    result = run(name, url, headers, args)
    after, faults = [cpu_ticks(group) for group in pids], _minor_faults(pids[0]) - faults
    # A process that exits meanwhile takes its ticks along (a PostgreSQL backend): never < 0.
    per_request = [max(a - b, 0) * 1000 / os.sysconf("SC_CLK_TCK") / max(result.requests, 1)
                   for a, b in zip(after, before, strict=True)]
    return replace(result, server_cpu_ms=per_request[0], database_cpu_ms=per_request[1],
                   server_faults=max(faults, 0) / max(result.requests, 1))


def combine(name: str, slices: list[Result], baseline_rps: float = 0.0) -> Result:
    """Return one endpoint's slices as one result: requests and CPU summed over the time, the
    p50 weighted by requests, the p99 the worst slice's (a bound, not a merged percentile)."""
    requests = sum(r.requests for r in slices)
    seconds = sum(r.seconds for r in slices)

    def per_request(field: str) -> float:
        return sum(getattr(r, field) * r.requests for r in slices) / max(requests, 1)

    return Result(name, requests, seconds, requests / seconds if seconds else 0.0,
                  per_request("p50_ms"), max(r.p99_ms for r in slices),
                  sum(r.errors for r in slices), per_request("server_cpu_ms"),
                  per_request("database_cpu_ms"), baseline_rps, per_request("server_faults"))


def paired(name: str, url: str, headers: dict[str, str], minimal: tuple, args) -> tuple:
    """Load the endpoint in ``args.rounds`` slices, each after a slice of the minimal app
    (``minimal``: its name, URL and server); return both combined."""
    base_name, base_url, base_server, server = minimal
    pairs = [(measure(base_name, base_url, {}, args, args.workers, base_server, (server,)),
              measure(name, url, headers, args, args.workers, server, (base_server,)))
             for _ in range(args.rounds)]
    base = combine(base_name, [b for b, _ in pairs])
    result = replace(combine(name, [r for _, r in pairs], base.rps),
                     slice_shares=tuple(r.rps / b.rps if b.rps else 0.0 for b, r in pairs))
    print(f"  {name}: {result.rps:.1f} req/s, minimal app beside it {base.rps:.1f} req/s "
          f"({result.rps / base.rps:.0%}; slices {spread(result.slice_shares)})", flush=True)
    return base, result


def spread(shares) -> str:
    """Return the slices' shares as their range ("78–86%"), or "" when there are none."""
    return f"{min(shares) * 100:.0f}–{max(shares):.0%}" if shares else ""


# --- the run ---------------------------------------------------------------------------------

def endpoints(base: str, tokens: dict) -> list[tuple[str, str, dict[str, str]]]:
    sme = {"Authorization": f"Bearer {tokens['sme']}", "Accept": "application/json"}
    staff = {"Authorization": f"Bearer {tokens['coordinator']}", "Accept": "application/json"}
    matches = f"{base}/api/v1/smes/{tokens['sme_profile']}/matches"
    return [
        ("match API, SME token", matches, sme),
        ("match API, coordinator token", matches, staff),
        # The page shows 20 cards: the API at the same depth compares like with like.
        ("match API, SME token, 20 a page", f"{matches}?per_page=20", sme),
        ("GET /api/v1/mentors (20 a page)", f"{base}/api/v1/mentors?per_page=20", sme),
        ("/matches page", f"{base}/matches",
         {"Authorization": f"Bearer {tokens['sme']}", "Accept": "text/html"}),
    ]


def selected(names: list[str], only: list[str] | None) -> list[str]:
    """Return the endpoint names ``--only`` loads, in order: all without it; else those whose
    name holds one of its texts, except that a text that is an endpoint's whole name picks that
    one only ("match API, SME token" is also part of the 20-a-page endpoint's name)."""
    if not only:
        return list(names)
    return [name for name in names
            if any(text == name if text in names else text in name for text in only)]


def run(args: argparse.Namespace) -> dict:
    """Seed, start both apps, load each endpoint; return the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        workdir = Path(tmp)
        env, tokens = prepare(args, workdir)
        profiles = args.smes + args.mentors + args.buyers
        log = workdir / "servers.log"
        minimal_env = {**env, "PUENTE_BENCH_VECTORS": str(max(profiles, 11))}
        vectors = f"minimal NumPy top-10 ({max(profiles, 11):,} x 128)"
        minimal, minimal_base = start_gunicorn("scripts.minimal_topk_app:create_app()",
                                               minimal_env, args, log)
        try:
            server, base = start_gunicorn("webapp:create_app()", env, args, log)
            try:
                beside = (vectors, f"{minimal_base}/top10?q=3", minimal, server)
                loads = endpoints(base, tokens)
                chosen = selected([name for name, _, _ in loads], args.only)
                runs = [paired(name, url, headers, beside, args)
                        for name, url, headers in loads if name in chosen]
            finally:
                stop(server)
        finally:
            stop(minimal)
    baseline = combine(vectors, [b for b, _ in runs])
    results = [r for _, r in runs]
    return {"profiles": profiles, "database": "sqlite" if args.sqlite else "postgresql",
            "connections": args.connections, "seconds": args.seconds, "rounds": args.rounds,
            "client": "wrk" if use_wrk(args.client) else "python",
            "allocator": "defaults" if args.default_allocator else "freed memory kept",
            "baseline": asdict(baseline), "results": [asdict(r) for r in results]}


TARGET_ENDPOINTS = {"match API, SME token", "/matches page", "match API, SME token, 20 a page",
                    "GET /api/v1/mentors (20 a page)"}


def targets(figures: dict) -> list[tuple[str, str, bool]]:
    """Return issue 16's targets as (what, measured, met), from one run's figures."""
    base = figures["baseline"]
    rows = {row["name"]: row for row in figures["results"]}
    api, page = rows["match API, SME token"], rows["/matches page"]
    api_20 = rows["match API, SME token, 20 a page"]
    listing = rows["GET /api/v1/mentors (20 a page)"]

    def share(row: dict, of: dict) -> float:
        """The row's rate over the other's; over the minimal app's beside it when paired."""
        rate = row.get("baseline_rps") if of is base and row.get("baseline_rps") else of["rps"]
        return row["rps"] / rate if rate else 0.0

    def relative(row: dict, of: dict) -> float:
        """The row's share of the minimal app beside it over the other's: two endpoints loaded
        at different times, the machine's speed between them cancelled (raw rates when a row
        has no minimal app beside it)."""
        if not (row.get("baseline_rps") and of.get("baseline_rps")):
            return share(row, of)
        theirs = share(of, base)
        return share(row, base) / theirs if theirs else 0.0

    def p99(row: dict) -> str:
        """The row's p99 beside the minimal app's own: a latency in milliseconds depends on
        the machine, the baseline's tells how much of a miss is the machine's."""
        return f"{row['p99_ms']:.0f} ms (minimal app {base['p99_ms']:.0f} ms)"

    page_share = relative(page, api_20)
    slices = spread(api.get("slice_shares"))
    return [
        ("match API >= 85% of the minimal app",
         f"{share(api, base):.0%}" + (f" (slices {slices})" if slices else ""),
         share(api, base) >= 0.85),
        ("match API p99 <= 60 ms", p99(api), api["p99_ms"] <= 60),
        ("/matches page within 20% of the API at its depth",
         f"{page_share:.0%} (raw {share(page, api_20):.0%})", page_share >= 0.80),
        ("profile list faster than the minimal app", f"{share(listing, base):.0%}",
         share(listing, base) > 1.0),
        ("profile list p99 <= 50 ms", p99(listing), listing["p99_ms"] <= 50),
    ]


def report(figures: dict) -> str:
    """Return the figures as a table, each endpoint's throughput as a share of the baseline."""
    base = figures["baseline"]
    rounds = figures.get("rounds", 1)
    lines = [f"{figures['profiles']:,} profiles on {figures['database']}, "
             f"{figures['connections']} connections, {figures['seconds']:g} s each in "
             f"{rounds} slice(s), each after a slice of the minimal app, "
             f"load by {figures['client']}, allocator: {figures.get('allocator', 'defaults')}",
             f"{'endpoint':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
             f"{'server CPU ms/req':>17} {'db CPU ms/req':>13} {'faults/req':>10} "
             f"{'minimal beside':>14} {'slices':>9} {'vs minimal':>10}"]
    for row in [base, *figures["results"]]:
        beside = row.get("baseline_rps") or base["rps"]  # the minimal app in its slices
        ratio = row["rps"] / beside if beside else 0.0
        lines.append(f"{row['name']:<40} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} "
                     f"{row['p99_ms']:>8.1f} {row['errors']:>7d} "
                     f"{row.get('server_cpu_ms', 0.0):>17.2f} "
                     f"{row.get('database_cpu_ms', 0.0):>13.2f} "
                     f"{row.get('server_faults', 0.0):>10.0f} {beside:>14.1f} "
                     f"{spread(row.get('slice_shares')):>9} {ratio:>9.0%}")
    if not TARGET_ENDPOINTS <= {row["name"] for row in figures["results"]}:
        return "\n".join(lines)  # --only: the targets were not all measured
    lines.append("targets (issue 16):")
    for what, measured, met in targets(figures):
        lines.append(f"  {what:<52} {measured:>28}  {'met' if met else 'NOT met'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    figures = run(args)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
