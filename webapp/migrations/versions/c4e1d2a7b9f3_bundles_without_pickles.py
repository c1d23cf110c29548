"""model bundles without pickles: retire the versions stored as joblib pickles

Bundles are now stored as NumPy arrays plus JSON (an ``.npz`` archive, a zip file) and read
with ``allow_pickle=False``; a version stored before as a joblib pickle can no longer be read.
Such versions are kept for their history (weights, metrics) but made inactive, so that the
service falls back to the default bundle until ``flask --app webapp train-model`` stores a new
one. No schema change: ``model_versions.bundle`` stays a binary column.

Revision ID: c4e1d2a7b9f3
Revises: c3e81f0a7d52
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1d2a7b9f3'
down_revision = 'c3e81f0a7d52'
branch_labels = None
depends_on = None

ZIP_MAGIC = b"PK\x03\x04"


def upgrade():
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, bundle FROM model_versions WHERE active")).all()
    legacy = [row.id for row in rows if not bytes(row.bundle).startswith(ZIP_MAGIC)]
    if legacy:
        conn.execute(sa.text("UPDATE model_versions SET active = :no WHERE id = :id"),
                     [{"no": False, "id": id_} for id_ in legacy])


def downgrade():
    pass  # nothing to undo: which version serves is data, chosen again through the API
