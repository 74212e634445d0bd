"""partner_invitation (a forum's invitation emailed to a partner organisation: who got what, when, from
whom) and organisation.mail_language (the language of our emails to them)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 00:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        # The default stays on the column: changing it would make SQLite copy a table others refer to.
        batch_op.add_column(sa.Column('mail_language', sa.String(length=8), nullable=False, server_default='sv'))
    op.create_table(
        'partner_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forum_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=True),
        sa.Column('organisation_name', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['forum_id'], ['forum.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sent_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('partner_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_invitation_forum_id'), ['forum_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_invitation_forum_id'))
    op.drop_table('partner_invitation')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('mail_language')
