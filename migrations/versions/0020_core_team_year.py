"""The core team's whole year: volunteer.on_paper (typed in by staff from a paper form), how a membership
ended (coreteam_member.ended_on, end_reason, end_note), and officials and department staff invited to a
meeting (meeting_official, meeting_guest)

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 00:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    # Added columns only (with a server default where needed): SQLite adds them without copying tables.
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_paper', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('coreteam_member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Enum('term_over', 'stepped_down', name='membershipend',
                                                            native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('end_note', sa.String(length=500), nullable=False, server_default=''))
    op.create_table(
        'meeting_official',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['coreteam_meeting.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', 'user_id'),
    )
    op.create_table(
        'meeting_guest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('department', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['coreteam_meeting.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('meeting_guest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_guest_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    with op.batch_alter_table('meeting_guest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_guest_meeting_id'))
    op.drop_table('meeting_guest')
    op.drop_table('meeting_official')
    with op.batch_alter_table('coreteam_member', schema=None) as batch_op:
        batch_op.drop_column('end_note')
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_on')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_column('on_paper')
