"""Messages written when they are sent: outbox_message.recipe (what to write, until it is written)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 06:00:00

"""
from alembic import context, op
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
    # A message still waiting as a recipe has no body to keep: it would be dropped with the column, so
    # unless asked to (flask db downgrade -x force=yes) the downgrade refuses while there are any.
    unwritten = op.get_bind().execute(sa.text("SELECT count(*) FROM outbox_message WHERE recipe IS NOT NULL")).scalar()
    if unwritten and context.get_x_argument(as_dictionary=True).get('force') != 'yes':
        raise RuntimeError(
            f"Not downgraded: {unwritten} message(s) in the outbox (confirmations) are still to be written, and this "
            "downgrade would delete them. Let the outbox send them first (flask mail send-due), or delete them "
            "with `flask db downgrade -x force=yes`.")
    op.execute("DELETE FROM outbox_message WHERE recipe IS NOT NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('recipe')
