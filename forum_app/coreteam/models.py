"""Core team: volunteers, members with one-year terms, invitations to an account, meetings."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow

# The core team's tasks as the source chapter lists them.
TASKS = ("organise_forums", "mobilise", "contact_officials", "summarise_results", "present_to_leadership",
         "follow_implementation")


class VolunteerStatus(str, enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Volunteer(db.Model):
    """Someone who offered to join the core team, from a registration or the public page."""

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    language: Mapped[str] = mapped_column(String(8), default="sv")
    languages: Mapped[list] = mapped_column(JSON(), default=list)
    message: Mapped[str] = mapped_column(Text(), default="")
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id", ondelete="SET NULL"))
    on_paper: Mapped[bool] = mapped_column(default=False)  # typed in by staff from a paper form at the door
    status: Mapped[VolunteerStatus] = mapped_column(
        enum_type(VolunteerStatus, 20),
        default=VolunteerStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    forum = relationship("Forum")


class MembershipEnd(str, enum.Enum):
    TERM_OVER = "term_over"
    STEPPED_DOWN = "stepped_down"


class CoreTeamMember(db.Model):
    __tablename__ = "coreteam_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    language: Mapped[str] = mapped_column(String(8), default="sv")
    languages: Mapped[list] = mapped_column(JSON(), default=list)
    tasks: Mapped[list] = mapped_column(JSON(), default=list)
    term_start: Mapped[date] = mapped_column(Date())
    term_end: Mapped[date] = mapped_column(Date(), index=True)
    # The term end a reminder was sent for: a renewed term gets its own reminder, a term only one.
    reminded_for_term_end: Mapped[date | None] = mapped_column(Date())
    # How the membership ended (the term then ends the day before ``ended_on``), and why, if they said.
    ended_on: Mapped[date | None] = mapped_column(Date())
    end_reason: Mapped[MembershipEnd | None] = mapped_column(enum_type(MembershipEnd, 20))
    end_note: Mapped[str] = mapped_column(String(500), default="")
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", backref=backref("core_member", uselist=False))

    def is_active_on(self, day: date) -> bool:
        return self.term_start <= day <= self.term_end


meeting_attendee = Table(
    "meeting_attendee", db.metadata,
    Column("meeting_id", ForeignKey("coreteam_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("coreteam_member.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(db.Model):
    """A core team meeting between forums, with the officials or on its own."""

    __tablename__ = "coreteam_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text(), default="")
    notes: Mapped[str] = mapped_column(Text(), default="")
    decisions: Mapped[str] = mapped_column(Text(), default="")
    invitations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attendees: Mapped[list[CoreTeamMember]] = relationship(secondary=meeting_attendee, order_by=CoreTeamMember.name)
    # Officials (accounts with the official role) and department staff typed in by name and address.
    officials = relationship("User", secondary="meeting_official", order_by="User.name")
    officials_present = relationship("User", secondary="meeting_official_present", order_by="User.name")
    guests: Mapped[list["MeetingGuest"]] = relationship(back_populates="meeting", order_by="MeetingGuest.id",
                                                        cascade="all, delete-orphan")


meeting_official = Table(
    "meeting_official", db.metadata,
    Column("meeting_id", ForeignKey("coreteam_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


# Of the officials invited, those who came: recorded as members' attendance is, once the meeting has begun.
meeting_official_present = Table(
    "meeting_official_present", db.metadata,
    Column("meeting_id", ForeignKey("coreteam_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class MeetingGuest(db.Model):
    """Department staff without an account, invited to a core-team meeting by name and address."""

    __tablename__ = "meeting_guest"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coreteam_meeting.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="sv")

    meeting: Mapped[Meeting] = relationship(back_populates="guests")
