"""Background jobs started from pages, and the periodic tasks' claimed time slots

Revision ID: 045de2cbb3ad
Revises: 2cc8fc5a70fe
Create Date: 2026-12-02 14:05:00
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '045de2cbb3ad'
down_revision = '2cc8fc5a70fe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'background_jobs',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error_code', sa.String(length=64), nullable=True),
        sa.Column('error_params', sa.JSON(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'],
                                name=op.f('fk_background_jobs_started_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_background_jobs')),
    )
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_jobs_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_jobs_started_by_id'), ['started_by_id'],
                              unique=False)
    op.create_table(
        'periodic_ticks',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('slot', sa.BigInteger(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_ticks')),
    )


def downgrade():
    op.drop_table('periodic_ticks')
    with op.batch_alter_table('background_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_background_jobs_started_by_id'))
        batch_op.drop_index(batch_op.f('ix_background_jobs_state'))
    op.drop_table('background_jobs')
