"""Every indicator of the chapter has its data, and departments budget their measures (issue 27 items 3, 6):
recommendation.mainstreamed and .against_discrimination, presentation.decision_makers_present, the
departments present at a forum (forum_department), two feedback questions (daily_life, cooperation), and a
budget line that is a measure's cost, owned by a department (budget_line.department_id, .recommendation_id).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 02:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    # Columns without a reference are added in place; nothing points to budget_line, so copying it (batch
    # mode, for the two references) loses no row that points to it.
    op.add_column("recommendation", sa.Column("mainstreamed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("recommendation", sa.Column("against_discrimination", sa.Boolean(), nullable=False,
                                              server_default=sa.false()))
    op.add_column("presentation", sa.Column("decision_makers_present", sa.Integer(), nullable=True))
    op.add_column("feedback_answer", sa.Column("daily_life", sa.SmallInteger(), nullable=True))
    op.add_column("feedback_answer", sa.Column("cooperation", sa.SmallInteger(), nullable=True))
    op.create_table(
        "forum_department",
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["forum_id"], ["forum.id"], name=op.f("fk_forum_department_forum_id_forum"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"],
                                name=op.f("fk_forum_department_department_id_department"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("forum_id", "department_id", name=op.f("pk_forum_department")),
    )
    with op.batch_alter_table("budget_line") as batch:
        batch.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("recommendation_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_budget_line_department_id_department"), "department",
                                 ["department_id"], ["id"], ondelete="SET NULL")
        batch.create_foreign_key(batch.f("fk_budget_line_recommendation_id_recommendation"), "recommendation",
                                 ["recommendation_id"], ["id"], ondelete="CASCADE")
        batch.create_index(batch.f("ix_budget_line_department_id"), ["department_id"])
        batch.create_index(batch.f("ix_budget_line_recommendation_id"), ["recommendation_id"])


def downgrade():
    with op.batch_alter_table("budget_line") as batch:
        batch.drop_index(batch.f("ix_budget_line_recommendation_id"))
        batch.drop_index(batch.f("ix_budget_line_department_id"))
        batch.drop_constraint(batch.f("fk_budget_line_recommendation_id_recommendation"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_budget_line_department_id_department"), type_="foreignkey")
        batch.drop_column("recommendation_id")
        batch.drop_column("department_id")
    op.drop_table("forum_department")
    op.drop_column("feedback_answer", "cooperation")
    op.drop_column("feedback_answer", "daily_life")
    op.drop_column("presentation", "decision_makers_present")
    op.drop_column("recommendation", "against_discrimination")
    op.drop_column("recommendation", "mainstreamed")
