"""buyer diversity goals: the ownership groups a buyer seeks suppliers from

A nullable JSON list on ``profiles`` (buyers only; empty or null states no goal). It counts in
the SME↔buyer ranking for SMEs that opted in to declare one of those groups.

Revision ID: d7a3f5c91e20
Revises: c4e1d2a7b9f3
Create Date: 2026-12-02 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a3f5c91e20'
down_revision = 'c4e1d2a7b9f3'
branch_labels = None
depends_on = None


def upgrade():
    # In place, not in batch mode: SQLite would copy and drop the table (see f339f1e69c89).
    op.add_column('profiles', sa.Column('diversity_goals', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('profiles', 'diversity_goals')
