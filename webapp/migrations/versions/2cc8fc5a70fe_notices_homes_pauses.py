"""notices, homes and pauses: in-app notices, the previous sign-in, "paused until" a date

``notices`` holds each user's in-app notices (a kind and parameters, worded when read);
``users.previous_login_at`` is where a home's "new since your last visit" starts;
``profiles.paused_until`` keeps a profile out of the rankings until that day.

Revision ID: 2cc8fc5a70fe
Revises: 1d074fa905c3
Create Date: 2026-12-02 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2cc8fc5a70fe'
down_revision = '1d074fa905c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('introduction_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'], name=op.f('fk_notices_introduction_id_introductions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    op.create_index('ix_notices_user_id_read_at', 'notices', ['user_id', 'read_at'], unique=False)
    op.create_index(op.f('ix_notices_introduction_id'), 'notices', ['introduction_id'], unique=False)
    # In place, not in batch mode: SQLite would copy and drop the tables (see f339f1e69c89).
    op.add_column('users', sa.Column('previous_login_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.add_column('profiles', sa.Column('paused_until', sa.Date(), nullable=True))
    op.create_index(op.f('ix_profiles_paused_until'), 'profiles', ['paused_until'], unique=False)


def downgrade():
    # In place too (SQLite 3.35+ drops a column itself): a batch copy would rebuild profiles.
    op.drop_index(op.f('ix_profiles_paused_until'), table_name='profiles')
    op.drop_column('profiles', 'paused_until')
    op.drop_column('users', 'previous_login_at')
    op.drop_index(op.f('ix_notices_introduction_id'), table_name='notices')
    op.drop_index('ix_notices_user_id_read_at', table_name='notices')
    op.drop_table('notices')
