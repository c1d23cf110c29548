"""account features: e-mail verification and last sign-in

``users.email_verified_at`` (null: the address is not verified yet) — every account that exists
when this runs (demo logins, accounts made before verification) counts as verified, from its
creation; ``users.last_login_at`` for the admins' Users page.

Revision ID: e5a1c0f3b7d2
Revises: cd4e83a35c13
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c0f3b7d2'
down_revision = 'cd4e83a35c13'
branch_labels = None
depends_on = None


def upgrade():
    # In place, not in batch mode: SQLite would copy and drop the table (see f339f1e69c89).
    op.add_column('users', sa.Column('email_verified_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.add_column('users', sa.Column('last_login_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    op.drop_column('users', 'last_login_at')
    op.drop_column('users', 'email_verified_at')
