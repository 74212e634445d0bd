"""Indexes for lists that grow with the years: forum (status, ends_at) for the coming forums (the forum
lists, the home page) without reading earlier years; subscriber (language, confirmed_at) for the
newsletter's count by language from the index alone; audit_event.object_type for the audit log's filter

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 20:30:00

"""
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    # An index only: no table is rebuilt, so no row can be lost on SQLite.
    op.create_index("ix_forum_status_ends_at", "forum", ["status", "ends_at"])
    op.create_index("ix_subscriber_language_confirmed", "subscriber", ["language", "confirmed_at"])
    op.create_index("ix_audit_event_object_type", "audit_event", ["object_type"])


def downgrade():
    op.drop_index("ix_audit_event_object_type", table_name="audit_event")
    op.drop_index("ix_subscriber_language_confirmed", table_name="subscriber")
    op.drop_index("ix_forum_status_ends_at", table_name="forum")
