"""The page-render comparison (``scripts/bench_page_render.py``), run tiny on a seeded SQLite
file: both sides render the real page's context, their CPU per render and ratio are printed,
and Jinja's own ``_`` writes the same page as the one that took its place."""

from __future__ import annotations

import re

from scripts.bench_page_render import main


def test_both_sides_render_the_page_and_write_the_same_html(seeded_url, capsys,
                                                            restored_environment):
    main(["--database-url", seeded_url, "--against", "HEAD", "--jinja-gettext",
          "--rounds", "2", "--renders", "2"])
    out = capsys.readouterr().out
    current = re.search(r"^current: CPU per render p50 ([\d.]+) ms$", out, re.M)
    earlier = re.search(r"^HEAD: CPU per render p50 ([\d.]+) ms$", out, re.M)
    ratio = re.search(r"^ratio current / HEAD, per round: p50 ([\d.]+)", out, re.M)
    assert current and earlier and ratio, out
    assert float(current[1]) > 0 and float(earlier[1]) > 0 and float(ratio[1]) > 0
    assert out.rstrip().endswith("same HTML"), out
