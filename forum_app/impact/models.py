"""Anonymous feedback after a forum, the receipts that stop a second answer, the thank-you mail
claims, and the text staff write for each year's report."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow
from ..i18n.content import TranslatedText

# The questions scored on a five-point scale, in the order the form asks them.
SCORED = ("got_to_speak", "interpretation", "childcare", "represented", "come_again", "daily_life", "cooperation")


class Channel(str, enum.Enum):
    EMAIL = "email"  # through the link in the thank-you email
    VENUE = "venue"  # through the QR code at the venue, or the forum page
    PAPER = "paper"  # a paper form typed in by staff


class Credential(str, enum.Enum):
    """What made an answer count: each is one-time, so each counted answer is one participant's."""

    LINK = "link"  # the personal link (email, SMS or the registration's own link): one answer per link
    CODE = "code"  # a one-time code from a slip staff printed (walk-ins, people without a link, paper forms)


class FeedbackAnswer(db.Model):
    """One anonymous answer. Nothing here points to a person: no registration, no time of day."""

    __tablename__ = "feedback_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, 10))
    # 1 (not at all) to 5 (completely); None: not answered, or (interpretation, childcare) not used.
    got_to_speak: Mapped[int | None] = mapped_column(SmallInteger())
    interpretation: Mapped[int | None] = mapped_column(SmallInteger())
    childcare: Mapped[int | None] = mapped_column(SmallInteger())
    represented: Mapped[int | None] = mapped_column(SmallInteger())
    come_again: Mapped[int | None] = mapped_column(SmallInteger())
    # The chapter's indicators: improvements in daily life, and cooperation between migrant groups.
    daily_life: Mapped[int | None] = mapped_column(SmallInteger())
    cooperation: Mapped[int | None] = mapped_column(SmallInteger())
    comment: Mapped[str] = mapped_column(Text(), default="")  # staff only
    submitted_on: Mapped[date] = mapped_column(Date())  # the day only, so it cannot be matched to a receipt
    # None: an answer from before credentials (issue 27), which no figure counts.
    credential: Mapped[Credential | None] = mapped_column(enum_type(Credential, 10))


class FeedbackReceipt(db.Model):
    """That someone with this link has answered: only a hash, never which answer was theirs."""

    __tablename__ = "feedback_receipt"

    # No serial number and no time: the order of receipts must not match the order of answers.
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class FeedbackCode(db.Model):
    """A one-time code printed on a slip for one forum, kept only as its hash; used once, then spent. Nothing
    links it to the answer it made count (no time, no answer id)."""

    __tablename__ = "feedback_code"
    __table_args__ = (UniqueConstraint("forum_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used: Mapped[bool] = mapped_column(default=False)


class FeedbackInvitation(db.Model):
    """The thank-you email to one participant, claimed before it is sent so it goes out once."""

    __tablename__ = "feedback_invitation"

    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"),
                                                 primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnnualReport(db.Model):
    """The short text staff write for a year's report, in every language they can."""

    __tablename__ = "annual_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    text: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
