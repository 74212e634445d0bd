"""forum (status, ends_at) indexed: the coming forums (the forum lists, the home page) are found without
reading every forum of every earlier year

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-05 20:30:00

"""
from alembic import op


revision = '0024'
down_revision = '0021'  # to be put after the other migrations of issue 24 when they are merged
branch_labels = None
depends_on = None


def upgrade():
    # An index only: no table is rebuilt, so no row can be lost on SQLite.
    op.create_index("ix_forum_status_ends_at", "forum", ["status", "ends_at"])


def downgrade():
    op.drop_index("ix_forum_status_ends_at", table_name="forum")
