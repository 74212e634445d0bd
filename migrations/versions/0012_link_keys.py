"""subscribers and followers carry a random link key in their emailed links

Rows from before keep no key and the links they were sent; every new row gets one, so a link can
never open a later row that reuses a deleted row's id.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 23:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_key', sa.String(length=32), nullable=True))
    with op.batch_alter_table('follower', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_key', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('follower', schema=None) as batch_op:
        batch_op.drop_column('link_key')
    with op.batch_alter_table('subscriber', schema=None) as batch_op:
        batch_op.drop_column('link_key')
