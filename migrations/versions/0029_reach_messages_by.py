"""Where a person who gave both an email address and a mobile number wants messages: registration.messages_by
("email", the default for every row made before; "sms"; or "both")

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 02:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    # A column with a default, added in place: no table is rebuilt, so no row can be lost on SQLite.
    op.add_column("registration", sa.Column("messages_by", sa.String(length=8), nullable=False,
                                            server_default="email"))


def downgrade():
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("messages_by")
