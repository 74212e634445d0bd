"""The call for questions before a year's topics: consultation, proposal (with the topic it became), and
mandate.core_team_agreed_on (when the core team agreed the mandate)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 00:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'consultation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=False),
        sa.Column('intro', JSON, nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('year'),
    )
    op.create_table(
        'proposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.Enum('resident', 'association', 'department', name='proposerkind', native_enum=False,
                                  length=20), nullable=False),
        sa.Column('proposer', sa.String(length=200), nullable=False),
        sa.Column('same_as_id', sa.Integer(), nullable=True),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['same_as_id'], ['proposal.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('topic_id'),
    )
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_same_as_id'), ['same_as_id'], unique=False)
    with op.batch_alter_table('mandate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('core_team_agreed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('mandate', schema=None) as batch_op:
        batch_op.drop_column('core_team_agreed_on')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_same_as_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_consultation_id'))
    op.drop_table('proposal')
    op.drop_table('consultation')
