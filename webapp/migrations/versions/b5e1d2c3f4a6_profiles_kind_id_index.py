"""Index profiles by (kind, id): the profile lists page one kind in id order

Revision ID: b5e1d2c3f4a6
Revises: a7d3e9f1c2b4
Create Date: 2026-12-02 20:00:00

Without it a list of buyers walked the primary key past every SME and mentor before the first
buyer (5.9 ms a page at 104,000 profiles on PostgreSQL, where the planner sorted the kind's
rows instead, and more the later the kind's ids).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5e1d2c3f4a6'
down_revision = 'a7d3e9f1c2b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_kind_id', ['kind', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_kind_id')
