"""row versions

Revision ID: c3e81f0a7d52
Revises: b50c049c1b86
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e81f0a7d52'
down_revision = 'b50c049c1b86'
branch_labels = None
depends_on = None

# Every existing row starts at version 1, as new rows do.
VERSIONED_TABLES = ('profiles', 'introductions')


def upgrade():
    # In place, not in batch mode: SQLite would copy and drop the tables (see f339f1e69c89).
    for table in VERSIONED_TABLES:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default='1',
                                       nullable=False))


def downgrade():
    for table in reversed(VERSIONED_TABLES):
        op.drop_column(table, 'version')
