"""Registrations for a forum: who is coming, what they need, and their place or waiting position."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow


class MessagesBy(str, enum.Enum):
    """Where a person who gave both an email address and a mobile number wants messages (``queries.contacts``);
    with only one of them, messages go there whatever this says."""

    EMAIL = "email"
    SMS = "sms"
    BOTH = "both"


class RegistrationStatus(str, enum.Enum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


def cleared_personal_fields() -> dict:
    """What identifies a person in a registration, emptied: for "delete my information" after the forum,
    for an erasure request and for the anonymisation the privacy notice promises. The anonymous numbers
    (status, attendance, interpreter language, children's ages) stay for the forum's figures."""
    return {"name": "", "name_latin": "", "email": "", "phone": "", "access_needs": "", "diets": [],
            "dietary_needs": "", "token_hash": None, "door_code": None}


class Registration(db.Model):
    __tablename__ = "registration"
    __table_args__ = (
        # Covers the places count (counts.count_places) without reading the rows.
        Index("ix_registration_places", "forum_id", "status", "walk_in"),
        # A code says who someone is at one forum's door only: unique there, short enough to read aloud.
        Index("ux_registration_door_code", "forum_id", "door_code", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # The name in Latin letters, when the person writes it in another script: the door searches both.
    name_latin: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The short code the person shows or says at the door (``door.new_code``); None for walk-ins.
    door_code: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    messages_by: Mapped[MessagesBy] = mapped_column(enum_type(MessagesBy, 8), default=MessagesBy.EMAIL,
                                                    server_default="email")
    language: Mapped[str] = mapped_column(String(8), default="sv")  # the interface language used
    spoken_language: Mapped[str] = mapped_column(String(80), default="")
    interpretation_language: Mapped[str] = mapped_column(String(80), default="")  # empty: none needed
    children_ages: Mapped[list] = mapped_column(JSON(), default=list)
    access_needs: Mapped[str] = mapped_column(Text(), default="")
    diets: Mapped[list] = mapped_column(JSON(), default=list)  # values of diets.Diet, ticked on the form
    dietary_needs: Mapped[str] = mapped_column(Text(), default="")  # "other": food needs as the person wrote them
    wants_coreteam: Mapped[bool] = mapped_column(default=False)
    newsletter: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus, 20))
    walk_in: Mapped[bool] = mapped_column(default=False)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # HMAC-SHA256 (the secret key) of the normalised email address, else the phone number: counts who
    # comes back to a later forum without keeping a profile. Kept when the contact details are removed.
    person_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # Staff moved this person up the waiting list (``services.move_up``): the highest goes first. Everyone
    # else has 0 and keeps the order they came in (by id).
    moved_up: Mapped[int] = mapped_column(default=0, server_default="0")
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    forum = relationship("Forum")

    @property
    def children_count(self) -> int:
        return len(self.children_ages or [])
