"""Mandates, topics with their guiding questions, forums, organisations and budget lines."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow
from ..i18n.content import TranslatedText


class Mandate(db.Model):
    """The city's decision that gives the forum its mandate for one year."""

    __tablename__ = "mandate"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    decided_by: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    decided_on: Mapped[date | None] = mapped_column(Date())
    decision_reference: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    core_team_agreed_on: Mapped[date | None] = mapped_column(Date())  # the chapter: "agreed with the core team"
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class TopicOrigin(str, enum.Enum):
    OFFICIALS = "officials"
    ASSOCIATIONS = "associations"
    BOTH = "both"
    CORETEAM = "coreteam"


class Topic(db.Model):
    """A precise question the forum is asked to make recommendations on; at most six a year."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    background: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    origin: Mapped[TopicOrigin] = mapped_column(enum_type(TopicOrigin), default=TopicOrigin.BOTH)
    within_competence: Mapped[bool] = mapped_column(default=True)
    district: Mapped[str] = mapped_column(String(120), default="")
    # The chapter: each topic's mandate is agreed with the core team. When, and a note of what was agreed.
    core_team_agreed_on: Mapped[date | None] = mapped_column(Date())
    core_team_agreement: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # The question of the year's call this topic was made from (Proposal.topic_id keeps the link).
    proposal: Mapped["Proposal | None"] = relationship(back_populates="topic", uselist=False)
    questions: Mapped[list["GuidingQuestion"]] = relationship(
        back_populates="topic", order_by="GuidingQuestion.position", cascade="all, delete-orphan",
        lazy="selectin")
    forums: Mapped[list["Forum"]] = relationship(back_populates="topic", order_by="Forum.starts_at")


class Consultation(db.Model):
    """The office's call for questions before a year's topics are chosen: officials and migrant
    associations (and residents) say what they find most pressing."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    closes_on: Mapped[date] = mapped_column(Date())
    intro: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposals: Mapped[list["Proposal"]] = relationship(back_populates="consultation", order_by="Proposal.id",
                                                       cascade="all, delete-orphan")

    def is_open(self, today: date) -> bool:
        return today <= self.closes_on


class ProposerKind(str, enum.Enum):
    RESIDENT = "resident"
    ASSOCIATION = "association"
    DEPARTMENT = "department"


class Proposal(db.Model):
    """A question proposed to the call, as it was written, and who proposed it (a kind, and a name for an
    association or a department). Staff mark duplicates as the same question (``same_as``)."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text())
    language: Mapped[str] = mapped_column(String(8), default="sv")  # the page's language when it was written
    kind: Mapped[ProposerKind] = mapped_column(enum_type(ProposerKind, 20))
    proposer: Mapped[str] = mapped_column(String(200), default="")  # the association's or department's name
    same_as_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="proposals")
    topic: Mapped[Topic | None] = relationship(back_populates="proposal")
    same_as: Mapped["Proposal | None"] = relationship(remote_side=[id], back_populates="duplicates")
    duplicates: Mapped[list["Proposal"]] = relationship(back_populates="same_as", order_by="Proposal.id")

    @property
    def group(self) -> list["Proposal"]:
        """This proposal and the ones marked as the same question."""
        return [self, *self.duplicates]

    @property
    def kinds(self) -> set[ProposerKind]:
        return {p.kind for p in self.group}

    @property
    def raised_by_both(self) -> bool:
        """Raised by an association and by a department: the chapter says to start with these."""
        return {ProposerKind.ASSOCIATION, ProposerKind.DEPARTMENT} <= self.kinds


class GuidingQuestion(db.Model):
    """One of the three or four questions a topic puts to the forum."""

    __tablename__ = "guiding_question"
    __table_args__ = (UniqueConstraint("topic_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    position: Mapped[int]
    text: Mapped[dict] = mapped_column(TranslatedText(), default=dict)

    topic: Mapped[Topic] = relationship(back_populates="questions")


class ForumStatus(str, enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    HELD = "held"
    DOCUMENTED = "documented"


# The one table of how a forum's status may move: every change of status goes through
# ``planning.services.move_forum``, which refuses anything else. Publishing a forum's results (documented)
# needs a forum that has taken place; nothing moves a forum back to taking registrations.
FORUM_TRANSITIONS: dict[ForumStatus, frozenset[ForumStatus]] = {
    ForumStatus.DRAFT: frozenset({ForumStatus.PUBLISHED}),
    ForumStatus.PUBLISHED: frozenset({ForumStatus.CANCELLED, ForumStatus.HELD}),
    ForumStatus.HELD: frozenset({ForumStatus.DOCUMENTED}),
    ForumStatus.DOCUMENTED: frozenset(),
    ForumStatus.CANCELLED: frozenset(),
}


class ForumFormat(str, enum.Enum):
    EVENING = "evening"  # an evening meeting after 18:00
    FULL_DAY = "full_day"  # a full day with a side programme


forum_partner = Table(
    "forum_partner", db.metadata,
    Column("forum_id", ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)

organisation_topic = Table(
    "organisation_topic", db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)


class Forum(db.Model):
    """One open meeting of the forum on a topic."""

    __tablename__ = "forum"
    __table_args__ = (
        # The coming forums of a list (public, or every status for staff) without reading earlier years.
        Index("ix_forum_status_ends_at", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="RESTRICT"), index=True)
    hook: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    description: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    format: Mapped[ForumFormat] = mapped_column(enum_type(ForumFormat), default=ForumFormat.EVENING)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue_name: Mapped[str] = mapped_column(String(200))
    venue_address: Mapped[str] = mapped_column(String(300))
    venue_access: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    # Optional: where the phone's map opens (an OpenStreetMap link and a geo: URI; no map is embedded),
    # and the nearest public-transport stop, a proper name as staff write it.
    venue_latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    venue_longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    venue_stop: Mapped[str] = mapped_column(String(200), default="", server_default="")
    capacity: Mapped[int]
    childcare_capacity: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    food: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    childcare_offered: Mapped[bool] = mapped_column(default=True)
    interpretation_languages: Mapped[list] = mapped_column(JSON(), default=list)
    moderator: Mapped[str] = mapped_column(String(200), default="")  # the name only
    # "journalist", "journalist", "صحفية", ...: a role is words, so it is translated like other content.
    moderator_role: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    poster_languages: Mapped[list] = mapped_column(JSON(), default=list)
    status: Mapped[ForumStatus] = mapped_column(enum_type(ForumStatus), default=ForumStatus.DRAFT, index=True)
    # RFC 5545's SEQUENCE of the forum's calendar event: raised each time a published forum moves (its time
    # or venue), so a calendar program updates the event it has instead of adding a second one.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # The start the forum was announced with before staff last moved it (None if it never moved after
    # publishing): its page says so and its structured data reads EventRescheduled with previousStartDate.
    previous_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    topic: Mapped[Topic] = relationship(back_populates="forums", lazy="joined")
    partners: Mapped[list["Organisation"]] = relationship(secondary=forum_partner, order_by="Organisation.name")
    side_programme: Mapped[list["SideEvent"]] = relationship(
        back_populates="forum", order_by="SideEvent.starts_at, SideEvent.id", cascade="all, delete-orphan")

    @property
    def has_side_programme(self) -> bool:
        """Only a full day has a side programme; items kept from before a change of format are not shown."""
        return self.format is ForumFormat.FULL_DAY and bool(self.side_programme)

    @property
    def is_public(self) -> bool:
        return self.status is not ForumStatus.DRAFT

    def registration_is_open(self, now: datetime) -> bool:
        if self.status is not ForumStatus.PUBLISHED or now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


class SideEvent(db.Model):
    """One item of a full-day forum's side programme: a time, a title and a text in each language."""

    __tablename__ = "side_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    text: Mapped[dict] = mapped_column(TranslatedText(), default=dict)

    forum: Mapped[Forum] = relationship(back_populates="side_programme")


class OrganisationKind(str, enum.Enum):
    ASSOCIATION = "association"
    NGO = "ngo"
    SERVICE_PROVIDER = "service_provider"
    PROFESSIONAL = "professional"
    OTHER = "other"


class Organisation(db.Model):
    """An association, NGO, service provider or professional in the unit's network."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind), default=OrganisationKind.ASSOCIATION)
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    communities: Mapped[str] = mapped_column(String(300), default="")
    languages: Mapped[list] = mapped_column(JSON(), default=list)
    mail_language: Mapped[str] = mapped_column(String(8), default="sv")  # the language of our emails to them
    notes: Mapped[str] = mapped_column(String(2000), default="")

    topics: Mapped[list[Topic]] = relationship(secondary=organisation_topic, order_by="Topic.id")


class BudgetCategory(str, enum.Enum):
    MODERATION = "moderation"
    ARTISTS = "artists"
    VENUE = "venue"
    INTERPRETATION = "interpretation"
    CHILDCARE = "childcare"
    FOOD = "food"
    INFORMATION = "information_material"
    NEWSLETTER = "newsletter"
    IMPLEMENTATION = "implementation"
    OTHER = "other"


class BudgetLine(db.Model):
    __tablename__ = "budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    category: Mapped[BudgetCategory] = mapped_column(enum_type(BudgetCategory))
    description: Mapped[str] = mapped_column(String(300), default="")
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id", ondelete="SET NULL"), index=True)
    department: Mapped[str] = mapped_column(String(200), default="")  # free text, from before department_id
    planned: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # A measure's costs (issue 27 item 6): owned by one department and entered by its officials. The
    # recommendation is named by its table only: planning sits below the recommendations.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"),
                                                          index=True)

    forum: Mapped[Forum | None] = relationship()
    owner = relationship("Department", lazy="joined")


class PartnerInvitation(db.Model):
    """One invitation to a forum sent by email to a partner organisation: who got what, when, from whom.
    The name and address are kept as they were, so the log stays true if the organisation changes."""

    __tablename__ = "partner_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    organisation_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sent_by = relationship("User")
