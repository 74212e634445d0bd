"""The door and the way there (issue 28): a registration's name in Latin letters and its short door code
(unique within its forum; every registration that holds a place gets one now, so the coming forums'
doors find their people by code too), and a venue's optional map position and public-transport stop.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 23:00:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

# As forum_app/registrations/door.py: no 0/O, 1/I/L, 2/Z, 5/S or 8/B, which are misread aloud and on paper.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def upgrade():
    # Added columns only: no table is rebuilt, so no row can be lost on SQLite.
    op.add_column("registration", sa.Column("name_latin", sa.String(200), nullable=False, server_default=""))
    op.add_column("registration", sa.Column("door_code", sa.String(8), nullable=True))
    op.create_index("ux_registration_door_code", "registration", ["forum_id", "door_code"], unique=True)
    op.add_column("forum", sa.Column("venue_latitude", sa.Numeric(9, 6), nullable=True))
    op.add_column("forum", sa.Column("venue_longitude", sa.Numeric(9, 6), nullable=True))
    op.add_column("forum", sa.Column("venue_stop", sa.String(200), nullable=False, server_default=""))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, forum_id FROM registration WHERE walk_in = :no AND status <> 'cancelled' AND token_hash IS NOT NULL"),
        {"no": False}).all()
    taken = set()
    for registration_id, forum_id in rows:
        code = None
        while code is None or (forum_id, code) in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(5))
        taken.add((forum_id, code))
        connection.execute(sa.text("UPDATE registration SET door_code = :code WHERE id = :id"),
                           {"code": code, "id": registration_id})


def downgrade():
    op.drop_column("forum", "venue_stop")
    op.drop_column("forum", "venue_longitude")
    op.drop_column("forum", "venue_latitude")
    op.drop_index("ux_registration_door_code", table_name="registration")
    op.drop_column("registration", "door_code")
    op.drop_column("registration", "name_latin")
