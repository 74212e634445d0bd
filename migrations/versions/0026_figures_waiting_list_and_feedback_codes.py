"""A fair waiting list and feedback that counts only real participants: registration.moved_up (staff moved
the person up the list, with a reason in the audit log; 0 for everyone else, who keep the order they came
in); feedback_code (one-time codes printed on slips, kept as hashes); feedback_answer.credential (link or
code; none for answers from before, which no figure counts)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 23:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    # Columns added in place (ALTER TABLE ... ADD COLUMN): no table is rebuilt, so no row and none of the rows
    # that point to it can be lost on SQLite.
    op.add_column("registration", sa.Column("moved_up", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("feedback_answer", sa.Column("credential", sa.String(10), nullable=True))
    # An answer through the emailed link was one per link already; answers at the venue (one per browser)
    # and paper forms carried nothing that made them one per person, so they stay uncounted.
    op.execute("UPDATE feedback_answer SET credential = 'link' WHERE channel = 'email'")
    op.create_table(
        "feedback_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["forum_id"], ["forum.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("forum_id", "code_hash"),
    )
    op.create_index("ix_feedback_code_forum_id", "feedback_code", ["forum_id"])


def downgrade():
    op.drop_index("ix_feedback_code_forum_id", table_name="feedback_code")
    op.drop_table("feedback_code")
    op.drop_column("feedback_answer", "credential")
    op.drop_column("registration", "moved_up")
