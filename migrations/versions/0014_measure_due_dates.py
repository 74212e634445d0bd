"""recommendation.due_on (a measure's planned completion date) and overdue_reminded_for

overdue_reminded_for keeps the date the last "the planned date has passed" reminder was about, so the
reminder goes once per date, and again if staff set a new date that passes too.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 23:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('overdue_reminded_for', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('overdue_reminded_for')
        batch_op.drop_column('due_on')
