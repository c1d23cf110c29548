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
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('diversity_goals', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('diversity_goals')
