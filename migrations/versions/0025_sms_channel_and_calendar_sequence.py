"""The outbox carries SMS too: a channel per message ("email" for every row made before); a forum's
calendar event has a SEQUENCE (forum.calendar_sequence), raised when a published forum moves

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 23:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    # A column with a default, added in place: no table is rebuilt, so no row can be lost on SQLite.
    op.add_column("outbox_message", sa.Column("channel", sa.String(length=10), nullable=False,
                                              server_default="email"))
    op.add_column("forum", sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    # An SMS cannot be sent as an email: those still waiting go with the column (staff see them gone).
    with op.batch_alter_table("forum") as batch:
        batch.drop_column("calendar_sequence")
    op.execute("DELETE FROM outbox_message WHERE channel = 'sms'")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("channel")
