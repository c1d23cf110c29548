"""Packaging: what the code imports is declared, and the lock installs what setup.cfg asks for."""

from __future__ import annotations

import ast
import configparser
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"matcher", "models", "webapp", "tests", "scripts"}


def setup_cfg() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return config


def requirements(option: str, section: str = "options") -> list[Requirement]:
    lines = setup_cfg()[section][option].strip().splitlines()
    return [Requirement(line.strip()) for line in lines if line.strip()]


def declared(*extras: str) -> set[str]:
    names = {canonicalize_name(r.name) for r in requirements("install_requires")}
    for extra in extras:
        names |= {canonicalize_name(r.name) for r in requirements(extra, "options.extras_require")}
    return names


def imported_modules(*folders: str) -> dict[str, str]:
    """Return each third-party top-level module imported under ``folders`` and one file using it."""
    found = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def undeclared(modules: dict[str, str], allowed: set[str]) -> list[str]:
    distributions = metadata.packages_distributions()
    missing = []
    for module, where in sorted(modules.items()):
        names = {canonicalize_name(d) for d in distributions.get(module, [module])}
        if not names & allowed:
            missing.append(f"{module} (imported in {where})")
    return missing


def test_every_package_the_service_imports_is_declared_in_install_requires():
    modules = imported_modules("matcher", "models", "webapp")
    assert {"webargs", "limits", "numpy"} <= modules.keys()
    assert undeclared(modules, declared()) == []


def test_every_package_the_tests_import_is_declared_for_tests():
    assert undeclared(imported_modules("tests"), declared("test")) == []


def test_an_undeclared_import_is_reported():
    assert undeclared({"webargs": "webapp/api/base.py"}, {"flask-smorest"}) == [
        "webargs (imported in webapp/api/base.py)"]


def locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {canonicalize_name(name): version
            for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_the_lock_pins_every_requirement_within_setup_cfg_ranges_with_hashes():
    pins = locked()
    wanted = (requirements("install_requires") + requirements("test", "options.extras_require")
              + requirements("postgres", "options.extras_require"))
    outside = [f"{r} (locked {pins.get(canonicalize_name(r.name))})" for r in wanted
               if pins.get(canonicalize_name(r.name)) is None
               or not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert outside == []
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements.lock").read_text())
    unhashed = [block.split()[0] for block in blocks
                if "==" in block.split()[0] and "--hash=sha256:" not in block]
    assert unhashed == []


def test_numpy_lower_bound_admits_only_releases_with_bitwise_count():
    numpy = next(r for r in requirements("install_requires") if r.name == "numpy")
    assert not numpy.specifier.contains("1.26.4") and numpy.specifier.contains("2.0.0")


def test_make_run_needs_no_node_npm_only_for_the_tests(tmp_path):
    """Issue 2: the service installs and runs with only Python 3.11 (and make); npm is for the
    browser tests' axe-core. `make -n` prints what each target would run, from a tree whose
    stamps are all missing, so every install step shows."""
    import shutil
    import subprocess

    for name in ("Makefile", "requirements.lock", "setup.cfg", "pyproject.toml",
                 "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, tmp_path / name)

    def planned(target: str) -> str:
        return subprocess.run(["make", "-n", target, "CHROMIUM=/bin/true"], cwd=tmp_path,
                              capture_output=True, text=True, check=True).stdout

    assert "npm ci" not in planned("run")
    assert "pip install" in planned("run")
    assert "npm ci" in planned("test")
