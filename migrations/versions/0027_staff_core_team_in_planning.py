"""The core team in planning: a topic's agreement with the core team (topic.core_team_agreed_on and
topic.core_team_agreement, a note of what was agreed), and the officials present at a core-team meeting
(meeting_official_present, beside meeting_official, the officials invited)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 23:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    # New nullable or defaulted columns only: SQLite adds them without rebuilding the table.
    op.add_column("topic", sa.Column("core_team_agreed_on", sa.Date(), nullable=True))
    op.add_column("topic", sa.Column("core_team_agreement", sa.String(length=1000), nullable=False,
                                     server_default=""))
    op.create_table(
        "meeting_official_present",
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("coreteam_meeting.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    )


def downgrade():
    op.drop_table("meeting_official_present")
    with op.batch_alter_table("topic") as batch:
        batch.drop_column("core_team_agreement")
        batch.drop_column("core_team_agreed_on")
