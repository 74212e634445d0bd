"""Subscribers, newsletter issues with their sections, and one delivery row per issue and subscriber."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow
from ..core.signed_links import new_link_key
from ..i18n.content import TranslatedText


class Subscriber(db.Model):
    __tablename__ = "subscriber"
    # The staff page counts confirmed subscribers by language from this index alone.
    __table_args__ = (Index("ix_subscriber_language_confirmed", "language", "confirmed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Carried by its emailed links (with the id), so they open this row and no later one with the same id.
    link_key: Mapped[str | None] = mapped_column(String(32), default=new_link_key)


class IssueStatus(str, enum.Enum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"


class Issue(db.Model):
    __tablename__ = "newsletter_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    period_start: Mapped[date] = mapped_column(Date())
    period_end: Mapped[date] = mapped_column(Date())
    status: Mapped[IssueStatus] = mapped_column(enum_type(IssueStatus, 20), default=IssueStatus.DRAFT, index=True)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sections: Mapped[list["Section"]] = relationship(order_by="Section.position", cascade="all, delete-orphan",
                                                     lazy="selectin")


class Section(db.Model):
    """A part of an issue: drafted from the period's data (forums, topics, recommendations) or an article."""

    __tablename__ = "newsletter_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("newsletter_issue.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(30), default="article")
    heading: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    body: Mapped[dict] = mapped_column(TranslatedText(), default=dict)


class DeliveryStatus(str, enum.Enum):
    # The names are the outbox's (``mail.outbox.models.MailStatus``): one vocabulary for both senders. The stored
    # values are this table's since its first release.
    WAITING = "pending"  # for a sender (again, after a temporary failure)
    SENDING = "claimed"  # taken by a sender for its batch, not yet confirmed by the SMTP server
    SENT = "sent"
    FAILED = "failed"  # a permanent refusal, or too many temporary ones


class Delivery(db.Model):
    """Exactly one row per issue and subscriber: claimed before sending, marked sent right after."""
    # claimed_by stays on a sent row: it tells which sender process sent it.

    __tablename__ = "newsletter_delivery"
    __table_args__ = (
        UniqueConstraint("issue_id", "subscriber_id"),
        Index("ix_newsletter_delivery_issue_status", "issue_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("newsletter_issue.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscriber.id", ondelete="CASCADE"), index=True)
    status: Mapped[DeliveryStatus] = mapped_column(enum_type(DeliveryStatus, 20), default=DeliveryStatus.WAITING)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Named as in the outbox; the columns keep the names they were released with.
    tries: Mapped[int] = mapped_column("attempts", default=0)
    next_try_at: Mapped[datetime | None] = mapped_column("next_attempt_at", UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column("error", Text(), default="")

    subscriber = relationship(Subscriber, lazy="joined")
