"""Where model bundles live: one joblib file per version and a ``CURRENT`` pointer file.

Every worker process reads the pointer when it refreshes, so a model trained or rolled back by
one process (or the CLI) is picked up by all of them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app

from matcher import ModelBundle, load_bundle

POINTER = "CURRENT"


def model_dir() -> Path:
    """Return the folder of model bundles."""
    return Path(current_app.config["PUENTE_MODEL_DIR"])


def current_version() -> str | None:
    """Return the version the pointer names, or None when no bundle was saved yet."""
    try:
        return (model_dir() / POINTER).read_text().strip() or None
    except FileNotFoundError:
        return None


def save_bundle(bundle: ModelBundle, *, make_current: bool = True) -> Path:
    """Write the bundle as ``<version>.joblib`` and, by default, point ``CURRENT`` at it."""
    path = bundle.save(model_dir() / f"{bundle.version}.joblib")
    if make_current:
        point_to(bundle.version)
    return path


def point_to(version: str) -> None:
    """Atomically make ``version`` the current bundle."""
    folder = model_dir()
    if not (folder / f"{version}.joblib").is_file():
        raise FileNotFoundError(f"no saved model bundle {version}")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".current-")
    with os.fdopen(fd, "w") as handle:
        handle.write(version)
    os.replace(tmp, folder / POINTER)


def load_version(version: str) -> ModelBundle:
    """Load a saved bundle by version."""
    return load_bundle(model_dir() / f"{version}.joblib")
