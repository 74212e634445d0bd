"""Repair databases made while 0008 and 0016 were still being edited

A released migration is never edited (migrations/released.sha256); these two were, before that rule,
so a database made in between says it is past them but lacks what they build now. Each such database
gets it here:

- 0008 before commit 922d610: no ``user_account.session_version`` (staff login fails without it), no
  ``password_link`` table, and the ``coreteam_invitation`` table 0008 now drops (its open invitations
  were single-use links; as 0008 says, staff send a new one).
- 0016 at commit dace875: a topic pointed at the proposal it came from (``topic.proposal_id``); now the
  proposal points at the topic it became (``proposal.topic_id``, one topic each). Links are moved.

Each repair looks first, so a database that has it all already is left as it is.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 20:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    inspector = sa.inspect(op.get_bind())
    tables = set(inspector.get_table_names())

    def columns(table):
        return {column['name'] for column in inspector.get_columns(table)}

    if 'session_version' not in columns('user_account'):
        with op.batch_alter_table('user_account', schema=None) as batch_op:
            batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
    if 'password_link' not in tables:
        op.create_table('password_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_password_link_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_link')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_link_token_hash'))
        )
        with op.batch_alter_table('password_link', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_password_link_user_id'), ['user_id'], unique=False)
    if 'coreteam_invitation' in tables:
        op.drop_table('coreteam_invitation')

    if 'proposal_id' in columns('topic'):
        if 'topic_id' not in columns('proposal'):
            with op.batch_alter_table('proposal', schema=None) as batch_op:
                batch_op.add_column(sa.Column('topic_id', sa.Integer(), nullable=True))
                batch_op.create_foreign_key('fk_proposal_topic_id_topic', 'topic', ['topic_id'], ['id'],
                                            ondelete='SET NULL')
                batch_op.create_unique_constraint('uq_proposal_topic_id', ['topic_id'])
        # A proposal now becomes one topic: if two topics came from it, it keeps the first.
        op.execute("UPDATE proposal SET topic_id = (SELECT min(topic.id) FROM topic WHERE topic.proposal_id = "
                   "proposal.id) WHERE topic_id IS NULL")
        with op.batch_alter_table('topic', schema=None) as batch_op:
            batch_op.drop_constraint('fk_topic_proposal_id_proposal', type_='foreignkey')
            batch_op.drop_column('proposal_id')


def downgrade():
    # What was repaired is what 0008 and 0016 build; their own downgrades take it away.
    pass
