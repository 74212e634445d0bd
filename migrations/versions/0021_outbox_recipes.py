"""Messages written when they are sent: outbox_message.recipe (what to write, until it is written)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 06:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    # An added nullable column: SQLite adds it without copying the table.
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipe', sa.JSON(), nullable=True))


def downgrade():
    # A message still waiting as a recipe has no body to keep: it is dropped with the column.
    op.execute("DELETE FROM outbox_message WHERE recipe IS NOT NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('recipe')
