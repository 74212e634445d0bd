"""One row per email: written in the transaction of the change that causes it, sent afterwards."""

from __future__ import annotations

import enum
from datetime import datetime
from email.message import Message

from sqlalchemy import JSON, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...core.extensions import db
from ...core.models_base import UTCDateTime, enum_type, utcnow
from ..compose import stored_message


class MailStatus(str, enum.Enum):
    WAITING = "waiting"  # for its first or next try
    SENDING = "sending"  # claimed by one sender
    SENT = "sent"
    FAILED = "failed"  # refused for good (5xx), or still not accepted after two days


class OutboxMessage(db.Model):
    """The rendered message (bytes, already in the recipient's language) and where it stands.

    A message can also be queued as a ``recipe`` (``outbox.recipes``): what to write, written by the
    sender just before it is sent, so that the request that queued it does not spend its time on it.
    Until then ``message`` is empty; writing it sets ``message`` and clears ``recipe``.

    Once sent, only recipient, subject and times stay (the body is dropped), and the row itself is
    deleted after ``MAIL_RETENTION_DAYS``.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_status_next_try_at", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
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
    def of(cls, message: Message) -> "OutboxMessage":
        ready = stored_message(message)
        return cls.waiting(ready.recipient, ready.subject, message=ready.raw)

    @classmethod
    def waiting(cls, recipient: str, subject: str, *, message: bytes = b"", recipe: dict | None = None) -> "OutboxMessage":
        """A new row waiting for its first try: a written ``message``, or a ``recipe`` to write (``recipes``)."""
        now = utcnow()
        return cls(recipient=recipient[:320], subject=subject[:300], message=message, recipe=recipe,
                   status=MailStatus.WAITING, tries=0, next_try_at=now, last_error="", created_at=now)
