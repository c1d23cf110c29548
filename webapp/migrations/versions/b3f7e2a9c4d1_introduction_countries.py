"""introductions keep both parties' countries as they were when made

Revision ID: b3f7e2a9c4d1
Revises: f1b2c3d4e5a6
Create Date: 2026-12-07 19:45:00

``introductions.requester_country`` and ``target_country`` keep each party's country (ISO
alpha-2) as it was when the introduction was made, as ``sme_ownership`` keeps the SME's groups:
whether an order is an export, the metrics' country pairs and groups by country, and the
introductions CSV read them, so a party that moves no longer turns its past domestic orders into
exports (or the reverse). Existing rows are filled from the profiles as they are now: where a
party was before, nothing kept it.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3f7e2a9c4d1'
down_revision = 'f1b2c3d4e5a6'
branch_labels = None
depends_on = None

PROFILES = sa.table("profiles", sa.column("id", sa.Integer), sa.column("country", sa.String))
INTRODUCTIONS = sa.table("introductions", sa.column("requester_id", sa.Integer),
                         sa.column("target_id", sa.Integer),
                         sa.column("requester_country", sa.String),
                         sa.column("target_country", sa.String))


def _country_of(party: sa.Column):
    return sa.select(PROFILES.c.country).where(PROFILES.c.id == party).scalar_subquery()


def upgrade():
    # In place, not in batch mode: SQLite would copy and drop the tables (see f339f1e69c89).
    op.add_column('introductions', sa.Column('requester_country', sa.String(length=2),
                                             nullable=True))
    op.add_column('introductions', sa.Column('target_country', sa.String(length=2),
                                             nullable=True))
    op.get_bind().execute(INTRODUCTIONS.update().values(
        requester_country=_country_of(INTRODUCTIONS.c.requester_id),
        target_country=_country_of(INTRODUCTIONS.c.target_id)))


def downgrade():
    op.drop_column('introductions', 'target_country')
    op.drop_column('introductions', 'requester_country')
