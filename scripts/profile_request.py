"""Profile requests in process (cProfile) against an already seeded database.

Creates the app on ``--database-url`` (e.g. one ``scripts/bench_http.py`` seeded), logs in as
the demo SME or coordinator (an API token, or the session cookie for pages), answers the path
once to warm up (the worker's first ranking loads its indexes), then profiles ``--repeat``
requests and prints the mean time per request and the functions taking the most cumulative
time::

    python scripts/profile_request.py --database-url postgresql+psycopg://…/puente_bench_b
    python scripts/profile_request.py --path '/matches' --repeat 50

``--dump FILE`` saves the profile for ``pstats`` (``print_callers`` and the like).

``{sme}`` in the path is replaced by the demo SME's profile id.

``--against NAME=VALUE`` (repeatable) compares instead of profiling: a second app in the same
process with those configuration values (read as the environment's are), both answering the
path in alternating batches of ``--batch`` requests for ``--rounds`` rounds, and prints each
one's CPU time per request and the per-round ratio (this machine's speed moves both alike)::

    python scripts/profile_request.py --path /api/v1/mentors --against PUENTE_DB_PING_IDLE_MS=0

``--stage MODULE:NAME`` (repeatable) times stages instead, without the profiler's overhead:
the function ``NAME`` of ``MODULE`` (``Class.method`` too) is wrapped in a CPU timer where it
is looked up, so name it where the caller reads it (``webapp.api.matches:present_page``, not
where it is defined when the caller imported it by name); the script prints the CPU per
request of the whole request and of each stage (stages may nest)::

    python scripts/profile_request.py --stage webapp.api.matches:profile_with_cards \
        --stage webapp.services.matching:rank_page --stage webapp.api.matches:present_page

``--hooks`` times the app's own request hooks the same way: every function Flask calls around
the view (``before_request``, ``after_request``, ``teardown_request``, ``teardown_appcontext``,
URL value preprocessors; its extensions' and the app's), printed largest first under its
module and name (with ``--stage``, both)::

    python scripts/profile_request.py --hooks
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import io
import os
import pstats
import statistics
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
    parser.add_argument("--dump", metavar="FILE",
                        help="Also save the profile there (pstats), e.g. for its callers.")
    parser.add_argument("--against", action="append", default=[], metavar="NAME=VALUE",
                        help="Compare with an app configured so (no profile).")
    parser.add_argument("--rounds", type=int, default=20, help="Rounds of a comparison.")
    parser.add_argument("--batch", type=int, default=50, help="Requests a batch (comparison).")
    parser.add_argument("--stage", action="append", default=[], metavar="MODULE:NAME",
                        help="Time this function per request (no profile).")
    parser.add_argument("--hooks", action="store_true",
                        help="Time each of the app's request hooks per request (no profile).")
    args = parser.parse_args(argv)
    for item in args.against:
        if "=" not in item:
            parser.error(f"--against takes NAME=VALUE, not {item!r}")
    for item in args.stage:
        module, _, name = item.partition(":")
        if not module or not name:
            parser.error(f"--stage takes MODULE:NAME, not {item!r}")
    return args


def timed_stages(stages: list[str]) -> dict[str, float]:
    """Wrap each ``MODULE:NAME`` function in a timer adding its CPU seconds to the dict
    returned (keyed by the stage as given)."""
    totals = dict.fromkeys(stages, 0.0)
    for stage in stages:
        module_name, _, path = stage.partition(":")
        owner = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        function = getattr(owner, name)
        setattr(owner, name, functools.wraps(function)(clocked(totals, stage, function)))
    return totals


def clocked(totals: dict[str, float], name: str, function, clock=time.process_time):
    """Return ``function`` adding the seconds each call takes to ``totals[name]``: of CPU, or
    of the ``clock`` given (``time.perf_counter``: wall time)."""
    def timed(*args, **kwargs):
        started = clock()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + clock() - started

    return timed


HOOK_LISTS = ("before_request_funcs", "after_request_funcs", "teardown_request_funcs",
              "url_value_preprocessors")
"""The app's hooks kept per blueprint (None: the app's own), besides its app-context
teardowns, which are one list."""


def _hook_name(kind: str, scope: str | None, function) -> str:
    inner = getattr(function, "func", function)  # a functools.partial: what it calls
    name = f"{inner.__module__}.{getattr(inner, '__qualname__', repr(inner))}"
    return f"{kind}{'' if scope is None else f'[{scope}]'} {name}"


def timed_hooks(app) -> dict[str, float]:
    """Wrap each request hook of the app in a timer adding its CPU seconds to the dict
    returned (keyed ``<kind>[<blueprint>] <module>.<name>``, kind as Flask names it)."""
    totals: dict[str, float] = {}

    def timed(kind: str, scope: str | None, function):
        name = _hook_name(kind, scope, function)
        totals[name] = 0.0  # listed even if no request calls it
        return clocked(totals, name, function)

    for attribute in HOOK_LISTS:
        kind = attribute.removesuffix("_funcs").removesuffix("s")
        hooks = getattr(app, attribute)
        for scope, functions in hooks.items():
            hooks[scope] = [timed(kind, scope, f) for f in functions]
    app.teardown_appcontext_funcs[:] = [timed("teardown_appcontext", None, f)
                                        for f in app.teardown_appcontext_funcs]
    return totals


def time_stages(args: argparse.Namespace) -> None:
    """Print the CPU per request of the whole request and of each ``--stage``, then of each
    request hook (``--hooks``), largest first."""
    from webapp import create_app

    totals = timed_stages(args.stage)
    app = create_app({"WTF_CSRF_ENABLED": False})
    hooks = timed_hooks(app) if args.hooks else {}
    client, path, headers = signed_in(app, args.role, args.path)
    cpu_per_request(client, path, headers, 20)  # warm, then count afresh
    for figures in (totals, hooks):
        for name in figures:
            figures[name] = 0.0
    whole = cpu_per_request(client, path, headers, args.repeat)
    print(f"{args.repeat} requests: {whole:.3f} ms CPU each")
    for stage, seconds in totals.items():
        print(f"  {stage}: {seconds / args.repeat * 1000:.3f} ms")
    if hooks:
        print("request hooks, CPU per request:")
    for name, seconds in sorted(hooks.items(), key=lambda item: -item[1]):
        print(f"  {seconds / args.repeat * 1000:.3f} ms  {name}")


def signed_in(app, role: str, path: str):
    """Return a test client of the app signed in as the demo user of ``role`` (an API token, or
    the session cookie for pages), the path, and the headers to send."""
    from webapp.services import accounts

    client = app.test_client()
    with app.app_context():
        user = accounts.find_user_by_email(f"{role}@demo.puente.test")
        sme = accounts.find_user_by_email("sme@demo.puente.test").profile.id
        headers = {}
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {accounts.issue_token(user, 'profile')[1]}"
    if not path.startswith("/api/"):
        password = app.config["PUENTE_DEMO_PASSWORD"]
        client.post("/login", data={"email": user.email, "password": password})
    path = path.format(sme=sme)
    status = client.get(path, headers=headers).status_code
    print(f"warm-up {path}: {status}")
    return client, path, headers


def cpu_per_request(client, path: str, headers: dict, repeat: int) -> float:
    """Return the CPU time (ms) per request over ``repeat`` requests."""
    started = time.process_time()
    for _ in range(repeat):
        client.get(path, headers=headers)
    return (time.process_time() - started) / repeat * 1000


def compare(args: argparse.Namespace) -> None:
    """Answer the path by the app as configured and as ``--against`` configures it, in
    alternating batches; print each one's CPU per request and the per-round ratio."""
    from webapp import create_app
    from webapp.config import env_value

    overrides = {name: env_value(value)
                 for name, value in (item.split("=", 1) for item in args.against)}
    labels = ("as configured", " ".join(args.against))
    apps = [create_app({"WTF_CSRF_ENABLED": False}),
            create_app({"WTF_CSRF_ENABLED": False, **overrides})]
    sides = [signed_in(app, args.role, args.path) for app in apps]
    for side in sides:
        cpu_per_request(*side, 20)
    cpu: list[list[float]] = [[], []]
    for round_ in range(args.rounds):
        for i in (0, 1) if round_ % 2 == 0 else (1, 0):
            cpu[i].append(cpu_per_request(*sides[i], args.batch))
    for label, values in zip(labels, cpu, strict=True):
        print(f"{label}: CPU per request p50 {statistics.median(values):.2f} ms "
              f"(quartiles {_quartiles(values)})")
    ratios = [b / a for a, b in zip(*cpu, strict=True)]
    print(f"ratio ({labels[1]}) / (as configured), per round: p50 "
          f"{statistics.median(ratios):.3f} (quartiles {_quartiles(ratios, '.3f')})")


def _quartiles(values: list[float], fmt: str = ".2f") -> str:
    if len(values) < 2:
        return "n/a"
    low, _, high = statistics.quantiles(values)
    return f"{low:{fmt}}–{high:{fmt}}"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.update(OPENBLAS_NUM_THREADS="1", SECRET_KEY="profile-not-secret")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if args.against:
        compare(args)
        return
    if args.stage or args.hooks:
        time_stages(args)
        return
    from webapp import create_app

    client, path, headers = signed_in(create_app({"WTF_CSRF_ENABLED": False}), args.role,
                                      args.path)
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
    if args.dump:
        profiler.dump_stats(args.dump)
    print(out.getvalue())


if __name__ == "__main__":
    main()
