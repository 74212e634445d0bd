"""One row per email or SMS: queued in the transaction of the change that causes it, written and sent afterwards."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...core.extensions import db
from ...core.models_base import UTCDateTime, enum_type, utcnow


class MailStatus(str, enum.Enum):
    WAITING = "waiting"  # for its first or next try
    SENDING = "sending"  # claimed by one sender
    SENT = "sent"
    FAILED = "failed"  # refused for good (5xx), or still not accepted after two days


class OutboxMessage(db.Model):
    """A message to one person on one channel, and where it stands.

    ``recipe`` says what to write (``outbox.recipes``); the sender writes it just before it sends
    (``mail.sender``). ``message`` is empty but while a written message waits for its next try after a
    temporary failure: then it holds that message, sealed (``core.tokens.seal_bytes``), so the next try
    sends the same one. Once sent, only recipient, subject and times stay, and the row itself is deleted
    after ``MAIL_RETENTION_DAYS``. Rows queued before recipes were the one path hold a written message and
    no recipe; they are sent as they are.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next_try_at", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")  # or "sms"
    recipient: Mapped[str] = mapped_column(String(320))  # an email address, or a phone number in E.164
    subject: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[bytes] = mapped_column(LargeBinary(), default=b"")
    # what to write, until it is written; None is SQL NULL (not JSON null), so "IS NULL" finds the written ones
    recipe: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus, 20), default=MailStatus.WAITING)
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text(), default="")
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def waiting(cls, recipient: str, subject: str, *, recipe: dict, channel: str = "email") -> "OutboxMessage":
        """A new row waiting for its first try."""
        now = utcnow()
        return cls(channel=channel, recipient=recipient[:320], subject=subject[:300], message=b"", recipe=recipe,
                   status=MailStatus.WAITING, tries=0, next_try_at=now, last_error="", created_at=now)
