"""Index profiles.available_until (the rankings' expiry checks read it)

Revision ID: e8b2c4d6f1a3
Revises: e5a1c0f3b7d2
Create Date: 2026-12-02 12:00:00

Each worker asks for the soonest ``available_until`` still ahead and for the profiles whose
date has just passed; without an index both scan every profile.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e8b2c4d6f1a3'
down_revision = 'e5a1c0f3b7d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_available_until', ['available_until'], unique=False)


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_available_until')
