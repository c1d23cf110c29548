"""Compare the matches page's rendering with an earlier commit's, in one process.

Creates the app on ``--database-url`` (e.g. the one ``scripts/bench_http.py`` seeded), signs the
demo SME in, asks for ``/matches`` once and keeps what its view hands the template. It then
renders that same context with the current ``matches.html`` and with the template as it was at
``--against`` (read with ``git show``; ``base.html`` and the helpers are today's), in alternating
rounds of ``--renders`` renders each, and prints each one's CPU time per render, the per-round
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


def page_context(app, client) -> dict:
    """Return what the matches view hands its template, read from one real request."""
    import webapp.ui.matches as view

    kept: dict = {}
    render = view.render_template

    def keep(name, **context):
        if name == TEMPLATE:
            kept.update(context)
        return render(name, **context)

    view.render_template = keep
    try:
        assert client.get("/matches").status_code == 200
    finally:
        view.render_template = render
    return kept


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.update(OPENBLAS_NUM_THREADS="1", SECRET_KEY="render-not-secret")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from jinja2.ext import _gettext_alias

    from webapp import create_app

    app = create_app({"WTF_CSRF_ENABLED": False})  # as profile_request.py signs in
    client = signed_in(app, "sme", "/matches")[0]
    context = page_context(app, client)
    source = subprocess.run(["git", "show", f"{args.against}:webapp/templates/{TEMPLATE}"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    env = app.jinja_env
    ours = env.globals["_"]
    sides = {"current": (env.get_template(TEMPLATE), ours),
             args.against: (env.from_string(source),
                            _gettext_alias if args.jinja_gettext else ours)}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    html: dict[str, str] = {}
    # A request of the page's own (same session cookie), as the view renders in.
    with app.test_request_context("/matches", headers={"Cookie": cookie_header(client)}):
        app.preprocess_request()
        for number in range(args.rounds):
            names = list(sides) if number % 2 == 0 else list(sides)[::-1]
            for name in names:
                template, gettext = sides[name]
                env.globals["_"] = gettext
                values = dict(context)
                app.update_template_context(values)
                started = time.process_time()
                for _ in range(args.renders):
                    html[name] = template.render(values)
                cpu[name].append((time.process_time() - started) / args.renders * 1000)
        env.globals["_"] = ours
    for name, times in cpu.items():
        print(f"{name}: CPU per render p50 {statistics.median(times):.3f} ms")
    ratios = [new / old for new, old in zip(cpu["current"], cpu[args.against], strict=True)]
    print(f"ratio current / {args.against}, per round: p50 {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")
    print("same HTML" if html["current"] == html[args.against] else "the HTML differs")


def cookie_header(client) -> str:
    """Return the test client's cookies as a request's Cookie header."""
    return "; ".join(f"{cookie.key}={cookie.value}" for cookie in client._cookies.values())


if __name__ == "__main__":
    main()
