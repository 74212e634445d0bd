"""Audit events: who changed what, and when. Shown back to staff on the objects they concern."""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models_base import UTCDateTime, utcnow


ACTION_LABELS = {
    "created": _l("Created"), "updated": _l("Changed"), "deleted": _l("Deleted"),
    "published": _l("Published"), "cancelled": _l("Cancelled"), "held": _l("Marked as held"),
    "promoted": _l("Moved from the waiting list"), "checked_in": _l("Checked in"),
    "accepted": _l("Accepted"), "declined": _l("Declined"), "renewed": _l("Renewed"),
}


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")

    user = relationship("User", lazy="joined")

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @classmethod
    def for_object(cls, object_type: str, object_id: int, limit: int = 50) -> list["AuditEvent"]:
        return list(db.session.scalars(
            select(cls).where(cls.object_type == object_type, cls.object_id == object_id)
            .order_by(cls.at.desc(), cls.id.desc()).limit(limit)))


def record(action: str, obj, summary: str = "") -> AuditEvent:  # noqa: ANN001
    """Add an audit event to the current transaction; it is saved with the change it describes."""
    if obj.id is None:
        db.session.flush()
    user_id = None
    if has_request_context() and current_user and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(action=action, object_type=type(obj).__name__, object_id=obj.id,
                       summary=summary[:500], user_id=user_id)
    db.session.add(event)
    return event
