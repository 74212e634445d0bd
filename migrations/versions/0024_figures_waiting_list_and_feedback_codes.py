"""A fair waiting list: registration.moved_up (staff moved the person up the list, with a reason in the audit
log; 0 for everyone else, who keep the order they came in)

Revision ID: 0024_figures
Revises: 0023
Create Date: 2026-12-05 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024_figures'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    # A column added in place (ALTER TABLE ... ADD COLUMN): the registration table is not rebuilt, so no row
    # and none of the rows that point to it can be lost on SQLite.
    op.add_column("registration", sa.Column("moved_up", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    op.drop_column("registration", "moved_up")
