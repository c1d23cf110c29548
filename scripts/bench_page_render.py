"""Compare the matches page's rendering with an earlier commit's, in one process.

Creates the app on ``--database-url`` (e.g. the one ``scripts/bench_http.py`` seeded), signs the
demo SME in and asks for ``/matches`` once; within that request, what its view hands the
template is rendered with the current ``matches.html`` and with the template as it was at
``--against`` (read with ``git show``; ``base.html`` and the helpers are today's), in alternating
rounds of ``--renders`` renders each. It prints each one's CPU time per render, the per-round
ratio and whether both wrote the same HTML::

    python scripts/bench_page_render.py --database-url postgresql+psycopg://…/puente_bench_e \\
        --against 1444f40 --jinja-gettext

``--jinja-gettext`` gives the earlier side Jinja's own ``_`` (its i18n extension's alias and
new-style wrapper) instead of :func:`webapp.i18n.template_gettext`, which took its place.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scripts.profile_request import signed_in  # noqa: E402

TEMPLATE = "matches.html"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--against", default="HEAD", help="the commit to compare with")
    parser.add_argument("--jinja-gettext", action="store_true",
                        help="render the earlier side with Jinja's own _")
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--renders", type=int, default=100, help="renders a side per round")
    return parser.parse_args(argv)


def timed_renders(client, sides: dict, env, args: argparse.Namespace) -> tuple[dict, dict]:
    """Ask for ``/matches`` once and, within that request (its session, language and CSRF
    token), render what its view hands the template with each side in alternating rounds;
    return each side's CPU per render, per round, and the HTML each wrote."""
    import webapp.ui.matches as view

    cpu: dict[str, list[float]] = {name: [] for name in sides}
    html: dict[str, str] = {}
    render = view.render_template

    def rendered_both_ways(name, **context):
        if name != TEMPLATE:
            return render(name, **context)
        ours = env.globals["_"]
        try:
            for number in range(args.rounds):
                for side in (list(sides) if number % 2 == 0 else list(sides)[::-1]):
                    template, gettext = sides[side]
                    env.globals["_"] = gettext
                    started = time.process_time()
                    for _ in range(args.renders):
                        html[side] = render(template, **context)
                    cpu[side].append((time.process_time() - started) / args.renders * 1000)
        finally:
            env.globals["_"] = ours
        return render(name, **context)

    view.render_template = rendered_both_ways
    try:
        assert client.get("/matches").status_code == 200
    finally:
        view.render_template = render
    return cpu, html


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.update(OPENBLAS_NUM_THREADS="1", SECRET_KEY="render-not-secret")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from jinja2.ext import _gettext_alias

    from webapp import create_app

    app = create_app({"WTF_CSRF_ENABLED": False})  # as profile_request.py signs in
    client = signed_in(app, "sme", "/matches")[0]
    source = subprocess.run(["git", "show", f"{args.against}:webapp/templates/{TEMPLATE}"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    env = app.jinja_env
    ours = env.globals["_"]
    sides = {"current": (env.get_template(TEMPLATE), ours),
             args.against: (env.from_string(source),
                            _gettext_alias if args.jinja_gettext else ours)}
    cpu, html = timed_renders(client, sides, env, args)
    for name, times in cpu.items():
        print(f"{name}: CPU per render p50 {statistics.median(times):.3f} ms")
    ratios = [new / old for new, old in zip(cpu["current"], cpu[args.against], strict=True)]
    print(f"ratio current / {args.against}, per round: p50 {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")
    print("same HTML" if html["current"] == html[args.against] else "the HTML differs")


if __name__ == "__main__":
    main()
