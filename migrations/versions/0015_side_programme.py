"""side_event: the side programme of a full-day forum (a time, a title and a text per language)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 23:50:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.create_table(
        'side_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forum_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('title', JSON, nullable=False),
        sa.Column('text', JSON, nullable=False),
        sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('side_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_side_event_forum_id'), ['forum_id'], unique=False)


def downgrade():
    with op.batch_alter_table('side_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_side_event_forum_id'))
    op.drop_table('side_event')
