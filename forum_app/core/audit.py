"""Audit events: who changed what, and when. Shown back to staff on the objects they concern.

Every service that writes calls :func:`record` in the same transaction as the change, so the trail
is complete by construction. ``changes`` holds the fields that changed, before and after, with
personal values (addresses, phone numbers, names of residents) masked: the log says *that* an
address changed, never what it is.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .models_base import UTCDateTime, utcnow

ACTION_LABELS = {
    "created": _l("Created"), "updated": _l("Changed"), "deleted": _l("Deleted"),
    "published": _l("Published"), "cancelled": _l("Cancelled"), "held": _l("Marked as held"),
    "promoted": _l("Moved from the waiting list"), "checked_in": _l("Checked in"),
    "new_link": _l("Took a new private link"),
    "accepted": _l("Accepted"), "declined": _l("Declined"), "renewed": _l("Renewed"),
    "feedback": _l("Feedback answered"), "feedback_paper": _l("Paper feedback typed in"),
    "retried": _l("Tried again"),  # an email in the mail queue, by staff
    "invited": _l("Invited"), "logged_in": _l("Logged in"), "login_failed": _l("Failed login"),
    "logged_out": _l("Logged out"), "password_set": _l("Password chosen"),
    "exported": _l("Personal data exported"), "erased": _l("Personal data erased"),
    "scheduled": _l("Scheduled"), "sent": _l("Sent"), "test_sent": _l("Test sent"),
    "status_changed": _l("Status changed"), "progress": _l("Progress reported"),
    "password_link_sent": _l("Password link sent"), "ended": _l("Membership ended"),
    "moved_up": _l("Moved up the waiting list"), "feedback_slips": _l("Feedback codes printed"),
    "translated": _l("Translation added"),  # staff content, on the translators' page or from an interpreter's file
}


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60), index=True)  # the log's filter lists the kinds
    object_id: Mapped[int | None] = mapped_column(index=True)
    summary: Mapped[str] = mapped_column(String(500), default="")
    changes: Mapped[dict | None] = mapped_column(JSON())

    user = relationship("User", lazy="joined")

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @classmethod
    def for_object(cls, object_type: str, object_id: int, limit: int = 50) -> list["AuditEvent"]:
        return list(db.session.scalars(
            select(cls).where(cls.object_type == object_type, cls.object_id == object_id)
            .order_by(cls.at.desc(), cls.id.desc()).limit(limit)))


MASK = "•••"


def _plain(value):  # noqa: ANN001, ANN202 - any column value, as JSON
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields, personal=()) -> dict:  # noqa: ANN001
    """The named fields of ``obj`` as JSON values; ``personal`` ones are masked when set."""
    return {name: (MASK if name in personal and getattr(obj, name, None) else _plain(getattr(obj, name, None)))
            for name in fields}


def changes(before: dict | None, after: dict) -> dict:
    """{field: [before, after]} for each field whose value differs."""
    before = before or {}
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record(action: str, obj, summary: str = "", *, changes: dict | None = None,  # noqa: ANN001
           user_id: int | None = None) -> AuditEvent:
    """Add an audit event to the current transaction; it is saved with the change it describes."""
    if obj.id is None:
        db.session.flush()
    if user_id is None and has_request_context() and current_user and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(action=action, object_type=type(obj).__name__, object_id=obj.id,
                       summary=summary[:500], user_id=user_id, changes=changes or None)
    db.session.add(event)
    return event
