"""Matching snapshots on disk: the bundle and the candidate indexes, built once, mapped by all.

A snapshot is a directory under ``PUENTE_SNAPSHOT_DIR`` (default ``<instance>/snapshots``;
empty: none are written or read) holding ``bundle.npz`` (the bundle as it encoded the indexes,
codes that grew included), one directory of ``.npy`` arrays per candidate kind
(:mod:`matcher.index_store`) and ``manifest.json``: the model version it was built with (None:
the default bundle fitted on the profiles), the change-log sequence number it covers and the
numbers still missing below it, the last change row read (so a snapshot of another database is
never taken for this one's), the time it was built and its row counts. It is written into a
temporary directory and renamed into place, then the ``CURRENT`` file is replaced to name it
(``os.replace``): a reader sees a whole snapshot or the previous one, never half of one.
The two newest are kept; a worker still mapping an older one keeps its files until it lets go
(POSIX keeps unlinked files alive while mapped).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from matcher import CandidateIndex, MatcherError, ModelBundle
from matcher.index_store import load_index, save_index
from models import ProfileChange, db

SNAPSHOT_FORMAT = 2  # 2: a buyer's cross-border countries are its sourcing countries only
POINTER = "CURRENT"
MANIFEST = "manifest.json"
BUNDLE = "bundle.npz"
KEEP = 2


@dataclass(frozen=True)
class Snapshot:
    """A snapshot read from disk: its name, manifest, bundle and memory-mapped indexes."""

    name: str
    manifest: dict[str, Any]
    bundle: ModelBundle
    indexes: dict[str, CandidateIndex]


def init_app(app: Flask) -> None:
    """Default ``PUENTE_SNAPSHOT_DIR`` to ``<instance>/snapshots``."""
    app.config.setdefault("PUENTE_SNAPSHOT_DIR", str(Path(app.instance_path) / "snapshots"))


def snapshot_root() -> Path | None:
    """Return the directory of snapshots, or None when snapshots are switched off."""
    value = current_app.config.get("PUENTE_SNAPSHOT_DIR")
    return Path(value) if value else None


def change_mark(seq: int) -> dict[str, Any] | None:
    """Return the change-log row ``seq`` (profile and time): what a snapshot is marked with,
    so that a snapshot of another database is never taken for this one's."""
    row = db.session.execute(db.select(ProfileChange.profile_id, ProfileChange.changed_at)
                             .where(ProfileChange.seq == seq)).first()
    if row is None:
        return None
    return {"seq": seq, "profile_id": row.profile_id, "changed_at": _iso(row.changed_at)}


def write_snapshot(root: Path, bundle: ModelBundle, indexes: dict[str, CandidateIndex],
                   **manifest: Any) -> Path:
    """Write a snapshot and make it the current one; return its directory."""
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=root, prefix=".building-"))
    try:
        (building / BUNDLE).write_bytes(bundle.to_bytes())
        rows = {kind: len(index) for kind, index in indexes.items()}
        for kind, index in indexes.items():
            save_index(index, building / kind)
        document = {"format": SNAPSHOT_FORMAT, "bundle_version": bundle.version,
                    "built_at": datetime.now(UTC).isoformat(), "rows": rows, **manifest}
        (building / MANIFEST).write_text(json.dumps(document, indent=1))
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{manifest.get('change_seq', 0)}"
        final = root / name
        os.rename(building, final)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    pointer = root / f".{POINTER}.{os.getpid()}"
    pointer.write_text(name)
    os.replace(pointer, root / POINTER)
    _prune(root, keep=name)
    return final


def current_name(root: Path) -> str | None:
    """Return the name of the current snapshot, or None when there is none."""
    try:
        return (root / POINTER).read_text().strip() or None
    except OSError:
        return None


def read_manifest(root: Path, name: str) -> dict[str, Any]:
    """Return a snapshot's manifest; raise MatcherError when it cannot be read."""
    try:
        return json.loads((root / name / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise MatcherError(f"snapshot {name} is unreadable: {error}") from error


def read_snapshot(root: Path, name: str) -> Snapshot:
    """Read a snapshot (its indexes memory-mapped).

    Raises
    ------
    MatcherError
        If it is missing, of another format, or its parts do not belong together.
    """
    path = root / name
    manifest = read_manifest(root, name)
    if manifest.get("format") != SNAPSHOT_FORMAT:
        raise MatcherError(f"snapshot {name} has format {manifest.get('format')!r}")
    bundle = ModelBundle.load(path / BUNDLE)
    indexes = {kind: load_index(bundle, path / kind) for kind in manifest["rows"]}
    return Snapshot(name, manifest, bundle, indexes)


def covers_this_database(manifest: dict[str, Any]) -> bool:
    """Tell whether the snapshot was built from this database (its last change row is here)."""
    mark = manifest.get("mark")
    if mark is None:  # built from an empty change log: fits only one still empty
        return db.session.scalar(db.select(db.func.max(ProfileChange.seq))) is None
    return change_mark(mark["seq"]) == mark


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _prune(root: Path, keep: str) -> None:
    """Remove all but the newest snapshots."""
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for name in names[:-KEEP]:
        if name != keep:
            shutil.rmtree(root / name, ignore_errors=True)
