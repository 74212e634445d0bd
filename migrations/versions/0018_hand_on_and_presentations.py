"""hand_on (a recommendation outside the city's competence passed on: to whom, when, the letter, the
answer) and presentation (the joint presentation to the decision makers, who presented, what)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 00:20:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def _file_columns():
    return [sa.Column('filename', sa.String(length=200), nullable=True),
            sa.Column('content_type', sa.String(length=60), nullable=True),
            sa.Column('size', sa.Integer(), nullable=True),
            sa.Column('storage_name', sa.String(length=80), nullable=True)]


def upgrade():
    op.create_table(
        'hand_on',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('to_whom', sa.String(length=300), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('answer', JSON, nullable=False),
        sa.Column('answered_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        *_file_columns(),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('storage_name'),
    )
    with op.batch_alter_table('hand_on', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hand_on_recommendation_id'), ['recommendation_id'], unique=False)
    op.create_table(
        'presentation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('presented_on', sa.Date(), nullable=False),
        sa.Column('body', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        *_file_columns(),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('storage_name'),
    )
    with op.batch_alter_table('presentation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presentation_presented_on'), ['presented_on'], unique=False)
    op.create_table(
        'presentation_recommendation',
        sa.Column('presentation_id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['presentation_id'], ['presentation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('presentation_id', 'recommendation_id'),
    )
    op.create_table(
        'presentation_member',
        sa.Column('presentation_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['presentation_id'], ['presentation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['coreteam_member.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('presentation_id', 'member_id'),
    )
    op.create_table(
        'presentation_official',
        sa.Column('presentation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['presentation_id'], ['presentation.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('presentation_id', 'user_id'),
    )


def downgrade():
    op.drop_table('presentation_official')
    op.drop_table('presentation_member')
    op.drop_table('presentation_recommendation')
    with op.batch_alter_table('presentation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presentation_presented_on'))
    op.drop_table('presentation')
    with op.batch_alter_table('hand_on', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hand_on_recommendation_id'))
    op.drop_table('hand_on')
