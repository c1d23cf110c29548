"""match marks: saved and hidden matches per profile

Revision ID: 78fbd7204504
Revises: 42abe71303ce
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '78fbd7204504'
down_revision = '42abe71303ce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('match_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=8), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("mark IN ('saved', 'hidden')", name=op.f('ck_match_marks_mark_known')),
    sa.CheckConstraint('owner_id <> candidate_id', name=op.f('ck_match_marks_distinct_profiles')),
    sa.ForeignKeyConstraint(['candidate_id'], ['profiles.id'], name=op.f('fk_match_marks_candidate_id_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['profiles.id'], name=op.f('fk_match_marks_owner_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_marks')),
    sa.UniqueConstraint('owner_id', 'candidate_id', name='uq_match_marks_pair')
    )
    with op.batch_alter_table('match_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_marks_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_marks_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('match_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_marks_owner_id'))
        batch_op.drop_index(batch_op.f('ix_match_marks_candidate_id'))

    op.drop_table('match_marks')
