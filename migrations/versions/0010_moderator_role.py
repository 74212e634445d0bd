"""forum.moderator_role: the moderator's role as translated content, the name alone in forum.moderator

A role typed after the name ("Lina Sahlberg, journalist") landed, in Swedish, inside every language's
sentence. Existing values are split at the first comma: the name stays, the rest becomes the Swedish role.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 23:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderator_role', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'),
                                      nullable=False, server_default=sa.text("'{}'")))
    forum = sa.table('forum', sa.column('id', sa.Integer()), sa.column('moderator', sa.String()),
                     sa.column('moderator_role', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')))
    connection = op.get_bind()
    for forum_id, moderator in connection.execute(sa.select(forum.c.id, forum.c.moderator)).all():
        if moderator and ", " in moderator:
            name, role = moderator.split(", ", 1)
            connection.execute(forum.update().where(forum.c.id == forum_id).values(
                moderator=name.strip(), moderator_role={"sv": role.strip()}))
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.alter_column('moderator_role', server_default=None)


def downgrade():
    with op.batch_alter_table('forum', schema=None) as batch_op:
        batch_op.drop_column('moderator_role')
