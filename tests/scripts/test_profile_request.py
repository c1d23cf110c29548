"""The in-process request comparison (``scripts/profile_request.py --against``), run tiny on a
SQLite file seeded by the real commands: both apps answer, each one's CPU per request and the
per-round ratio are printed."""

from __future__ import annotations

import re

import pytest

from scripts.profile_request import main


def test_a_comparison_prints_both_configurations_and_their_ratio(seeded_url, capsys,
                                                                 restored_environment):
    main(["--database-url", seeded_url, "--path", "/api/v1/smes/{sme}/matches",
          "--against", "PUENTE_DB_PING_IDLE_MS=0", "--rounds", "2", "--batch", "3"])
    out = capsys.readouterr().out
    assert out.count(": 200") == 2  # both apps answered the warm-up
    configured = re.search(r"^as configured: CPU per request p50 ([\d.]+) ms", out, re.M)
    against = re.search(r"^PUENTE_DB_PING_IDLE_MS=0: CPU per request p50 ([\d.]+) ms", out,
                        re.M)
    ratio = re.search(r"^ratio \(PUENTE_DB_PING_IDLE_MS=0\) / \(as configured\), per round: "
                      r"p50 ([\d.]+)", out, re.M)
    assert configured and against and ratio, out
    assert float(configured[1]) > 0 and float(against[1]) > 0 and float(ratio[1]) > 0


def test_a_comparison_wants_name_and_value(capsys):
    with pytest.raises(SystemExit):
        main(["--against", "PUENTE_DB_PING_IDLE_MS"])
    assert "NAME=VALUE" in capsys.readouterr().err


def test_stages_print_the_cpu_of_each_stage_within_the_requests(seeded_url, capsys,
                                                                restored_environment):
    # Named where the view reads them (it imported them by name).
    stages = ["webapp.api.matches:profile_with_cards", "webapp.services.matching:rank_page",
              "webapp.api.matches:present_page"]
    main(["--database-url", seeded_url, "--path", "/api/v1/smes/{sme}/matches", "--repeat", "5",
          *[f"--stage={stage}" for stage in stages]])
    out = capsys.readouterr().out
    whole = re.search(r"^5 requests: ([\d.]+) ms CPU each$", out, re.M)
    assert whole, out
    figures = {stage: re.search(rf"^  {re.escape(stage)}: ([\d.]+) ms$", out, re.M)
               for stage in stages}
    assert all(figures.values()), out
    # Each stage ran within the requests: more than nothing, less than the whole.
    assert all(0 < float(m[1]) < float(whole[1]) for m in figures.values()), out


def test_a_stage_wants_module_and_name(capsys):
    with pytest.raises(SystemExit):
        main(["--stage", "webapp.services.profiles"])
    assert "MODULE:NAME" in capsys.readouterr().err


def test_hooks_print_the_cpu_of_each_request_hook_of_the_app(seeded_url, capsys,
                                                             restored_environment):
    main(["--database-url", seeded_url, "--path", "/api/v1/smes/{sme}/matches", "--repeat", "5",
          "--hooks"])
    out = capsys.readouterr().out
    whole = re.search(r"^5 requests: ([\d.]+) ms CPU each$", out, re.M)
    assert whole, out
    hooks = dict((name, float(ms)) for ms, name in
                 re.findall(r"^  ([\d.]+) ms  (\S.*)$", out, re.M))
    # The limiter's check before each request and the security headers after it, by name.
    before = [n for n in hooks if n.startswith("before_request")
              and n.endswith("Limiter._check_request_limit")]
    after = [n for n in hooks if n.startswith("after_request")
             and n.endswith("webapp.security.add_security_headers")]
    assert before and after, out
    assert any(n.startswith("teardown_appcontext ") for n in hooks), out
    # Each ran within the requests, less than the whole (the limiter's check and the headers
    # more than nothing; a hook that returns at once may round to 0); largest first.
    assert all(0 <= ms < float(whole[1]) for ms in hooks.values()), out
    assert hooks[before[0]] > 0 and hooks[after[0]] > 0, out
    assert list(hooks.values()) == sorted(hooks.values(), reverse=True), out
