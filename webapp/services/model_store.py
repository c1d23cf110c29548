"""Model bundles stored in the database, one ``ModelVersion`` row each, one of them active.

Every worker process asks for the active version before ranking (one small query), so a model
trained, promoted or rolled back anywhere is picked up by all workers on all hosts. A row holds
the bundle as arrays plus JSON (``ModelBundle.to_bytes``), read without unpickling anything:
a database row cannot run code when it is loaded.
"""

from __future__ import annotations

from sqlalchemy import update

from matcher import ModelBundle
from models import ModelVersion, db


def active_version() -> str | None:
    """Return the version of the active bundle, or None when none was saved yet."""
    return db.session.scalar(db.select(ModelVersion.version).where(ModelVersion.active))


def load_version(version: str) -> ModelBundle:
    """Load a stored bundle by version (the loader checks its format and library versions)."""
    data = db.session.scalar(
        db.select(ModelVersion.bundle).where(ModelVersion.version == version))
    if data is None:
        raise LookupError(f"no stored model version {version!r}")
    return ModelBundle.from_bytes(data)


def store(bundle: ModelBundle, **fields) -> ModelVersion:
    """Add a version row for the bundle (the caller's use case commits)."""
    row = db.session.scalar(db.select(ModelVersion).where(ModelVersion.version == bundle.version))
    if row is None:
        row = ModelVersion(version=bundle.version, bundle=bundle.to_bytes())
        db.session.add(row)
    training = bundle.metadata.get("training", {})
    row.n_profiles = training.get("n_profiles", 0)
    row.weights = {direction: {**scorer.weights_, "(bias)": float(scorer.intercept_)}
                   for direction, scorer in bundle.scorers.items()}
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def activate(row: ModelVersion) -> None:
    """Make the version the active one (the caller's use case commits)."""
    db.session.execute(update(ModelVersion).where(ModelVersion.active).values(active=False))
    db.session.flush()
    row.active = True
