"""A joint presentation by a department with no named official (presentation_department, beside
presentation_official), and the start a published forum was announced with before staff moved it
(forum.previous_starts_at: search engines and calendars read the forum as rescheduled)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 02:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    # A new nullable column and a new table only: SQLite adds them without rebuilding a table.
    op.add_column("forum", sa.Column("previous_starts_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "presentation_department",
        sa.Column("presentation_id", sa.Integer(), sa.ForeignKey("presentation.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("department.id", ondelete="CASCADE"),
                  primary_key=True),
    )


def downgrade():
    op.drop_table("presentation_department")
    with op.batch_alter_table("forum") as batch:
        batch.drop_column("previous_starts_at")
