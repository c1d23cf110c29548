"""Fixtures of the scripts' tests."""

from __future__ import annotations

import pytest

from scripts.bench_http import flask_command


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory):
    """Return the URL of a SQLite file seeded by the real commands (a small demo)."""
    folder = tmp_path_factory.mktemp("seeded_demo")
    url = f"sqlite:///{folder / 'bench.db'}"
    env = {"DATABASE_URL": url, "SECRET_KEY": "scripts-test", "PATH": "/usr/bin:/bin",
           "PUENTE_SNAPSHOT_DIR": ""}
    flask_command(env, "init-db")
    flask_command(env, "seed-demo", "--smes", "5", "--mentors", "30", "--buyers", "5",
                  "--no-history")
    return url


@pytest.fixture
def restored_environment(monkeypatch):
    """The script sets these for the process; the test gives them back (and keeps the
    instance folder's matching snapshots, if any, out of it)."""
    for name in ("DATABASE_URL", "SECRET_KEY", "OPENBLAS_NUM_THREADS", "PUENTE_SNAPSHOT_DIR"):
        monkeypatch.setenv(name, "")
