"""One row per email: written in the transaction of the change that causes it, sent afterwards."""

from __future__ import annotations

import enum
from datetime import datetime
from email.message import Message

from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow
from ..mail import Flattened, flattened


class MailStatus(str, enum.Enum):
    WAITING = "waiting"  # for its first or next try
    SENDING = "sending"  # claimed by one sender
    SENT = "sent"
    FAILED = "failed"  # refused for good (5xx), or still not accepted after two days


class OutboxMessage(db.Model):
    """The rendered message (bytes, already in the recipient's language) and where it stands.

    Once sent, only recipient, subject and times stay (the body is dropped), and the row itself is
    deleted after ``MAIL_RETENTION_DAYS``.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next_try_at", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[bytes] = mapped_column(LargeBinary(), default=b"")
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus, 20), default=MailStatus.WAITING)
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text(), default="")
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def of(cls, message: "Message | Flattened") -> "OutboxMessage":
        ready = message if isinstance(message, Flattened) else flattened(message)
        now = utcnow()
        return cls(recipient=ready.recipient, subject=ready.subject, message=ready.raw,
                   status=MailStatus.WAITING, tries=0, next_try_at=now, last_error="", created_at=now)
