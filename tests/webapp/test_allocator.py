"""Freed memory is kept for reuse: repeated large temporary arrays stop faulting pages in."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import allocator, create_app

ROOT = Path(__file__).resolve().parents[2]
glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")

# A ranking's pattern: a few temporaries of ~0.4-2.3 MB made and freed, again and again.
WORKLOAD = """
import resource, sys
import numpy as np
sys.path.insert(0, {root!r})
if {tune}:
    from webapp import allocator
    assert allocator.tune()
base = np.random.default_rng(0).standard_normal(100_000).astype(np.float32)
for _ in range(20):  # warm up: the heap reaches its working size
    (base * 2 + 1).astype(np.float64).sum()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(200):
    a = base * 2
    b = (a + 1).astype(np.float64)
    c = np.exp(b)
    del a, b, c
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults(tune: bool, env: dict[str, str] | None = None) -> int:
    done = subprocess.run([sys.executable, "-c", WORKLOAD.format(root=str(ROOT), tune=tune)],
                          env={**os.environ, "GLIBC_TUNABLES": "", **(env or {})},
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


@glibc
def test_kept_memory_stops_the_page_faults_of_repeated_arrays():
    default = faults(tune=False)
    assert default > 2_000  # glibc gives the arrays back and faults them in again
    assert faults(tune=True) < default / 20
    # The same setting from the environment (what make run exports) works alike.
    assert faults(tune=False, env={"GLIBC_TUNABLES": allocator.GLIBC_TUNABLES}) < default / 20


@glibc
def test_the_app_applies_it_unless_switched_off(monkeypatch):
    calls = []
    monkeypatch.setattr(allocator, "tune", lambda: calls.append(1) or True)
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PUENTE_KEEP_FREED_MEMORY": False})
    assert calls == [1]


def test_make_run_and_the_benchmark_use_the_apps_setting():
    makefile = (ROOT / "Makefile").read_text()
    exported = re.search(r"^export GLIBC_TUNABLES \?= (\S+)$", makefile, re.M)
    assert exported and exported.group(1) == allocator.GLIBC_TUNABLES
    from scripts.bench_http import THREAD_ENV

    assert THREAD_ENV["GLIBC_TUNABLES"] == allocator.GLIBC_TUNABLES
