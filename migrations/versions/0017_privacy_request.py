"""The register of requests about personal data (access and erasure by address)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 00:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'privacy_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('via', sa.String(length=20), nullable=False),
        sa.Column('address_hash', sa.String(length=64), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_privacy_request_user_id_user_account'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_request')),
    )
    with op.batch_alter_table('privacy_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_request_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_request_address_hash'), ['address_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('privacy_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_request_address_hash'))
        batch_op.drop_index(batch_op.f('ix_privacy_request_at'))
    op.drop_table('privacy_request')
