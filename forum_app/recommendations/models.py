"""Forum results, recommendations with their workflow history and progress, departments, followers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Department
from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow
from ..core.signed_links import new_link_key
from ..i18n.content import TranslatedText


class ForumResult(db.Model):
    """What one forum produced: attendance, a summary, findings per guiding question, files."""

    __tablename__ = "forum_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), unique=True)
    attendance: Mapped[int] = mapped_column(default=0)
    summary: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    published: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    forum = relationship("Forum", backref="result", lazy="joined")
    findings: Mapped[list["Finding"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                     order_by="Finding.question_id")
    attachments: Mapped[list["Attachment"]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                           order_by="Attachment.id")


class Finding(db.Model):
    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("result_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("forum_result.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("guiding_question.id", ondelete="CASCADE"))
    text: Mapped[dict] = mapped_column(TranslatedText(), default=dict)

    question = relationship("GuidingQuestion", lazy="joined")


class Attachment(db.Model):
    """A photo or the moderator's notes; the file lives in the instance folder, not the web root."""

    __tablename__ = "result_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("forum_result.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    storage_name: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Status(str, enum.Enum):
    DRAFT = "draft"
    AGREED = "agreed"  # agreed by the core team
    PRESENTED = "presented"  # presented to the city's leadership
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    PARTLY_IMPLEMENTED = "partly_implemented"


# An accepted measure that is still to be done: it has a planned completion date that can pass.
OPEN_MEASURES = (Status.ACCEPTED, Status.IN_PROGRESS, Status.PARTLY_IMPLEMENTED)

recommendation_forum = Table(
    "recommendation_forum", db.metadata,
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
    Column("forum_id", ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True),
)
# The departments that sent someone to a forum, recorded with its results: a department in dialogue with
# residents on its own remit (the chapter's indicator).
forum_department = Table(
    "forum_department", db.metadata,
    Column("forum_id", ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)
recommendation_department = Table(
    "recommendation_department", db.metadata,
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


class Recommendation(db.Model):
    __tablename__ = "recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id", ondelete="RESTRICT"), index=True)
    title: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    text: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    within_competence: Mapped[bool] = mapped_column(default=True)
    route: Mapped[dict] = mapped_column(TranslatedText(), default=dict)  # e.g. a letter to the government
    status: Mapped[Status] = mapped_column(enum_type(Status), default=Status.DRAFT, index=True)
    responsible_official_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    responsible_role: Mapped[dict] = mapped_column(TranslatedText(), default=dict)  # public: a role, not a person
    presented_on: Mapped[date | None] = mapped_column(Date())
    presented_to: Mapped[str] = mapped_column(String(300), default="")
    decision_reason: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    outcome: Mapped[dict] = mapped_column(TranslatedText(), default=dict)  # what was done
    due_on: Mapped[date | None] = mapped_column(Date())  # the planned completion date of the measure
    # The chapter's indicators (issue 27 item 3): the measure is carried out as part of a department's regular,
    # broader service (mainstreaming), and it acts against discrimination.
    mainstreamed: Mapped[bool] = mapped_column(default=False)
    against_discrimination: Mapped[bool] = mapped_column(default=False)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_reminded_for: Mapped[date | None] = mapped_column(Date())  # the due date last reminded about
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    topic = relationship("Topic", lazy="joined")
    forums = relationship("Forum", secondary=recommendation_forum, order_by="Forum.starts_at", lazy="selectin")
    departments: Mapped[list[Department]] = relationship(secondary=recommendation_department, lazy="selectin",
                                                         order_by=Department.id)
    responsible_official = relationship("User")
    changes: Mapped[list["StatusChange"]] = relationship(back_populates="recommendation", lazy="selectin",
                                                         order_by="StatusChange.at", cascade="all, delete-orphan")
    updates: Mapped[list["ProgressUpdate"]] = relationship(back_populates="recommendation", lazy="selectin",
                                                           order_by="ProgressUpdate.on",
                                                           cascade="all, delete-orphan")
    # Loaded with the recommendation (one query per page, however many): the tracker's list shows them.
    hand_ons: Mapped[list["HandOn"]] = relationship(back_populates="recommendation", order_by="HandOn.sent_on",
                                                    cascade="all, delete-orphan", lazy="selectin")
    presentations: Mapped[list["Presentation"]] = relationship(
        secondary="presentation_recommendation", back_populates="recommendations",
        order_by="Presentation.presented_on", lazy="selectin")

    @property
    def is_public(self) -> bool:
        return self.status is not Status.DRAFT

    def is_overdue(self, today: date) -> bool:
        """An accepted measure not yet implemented whose planned completion date has passed."""
        return self.due_on is not None and self.due_on < today and self.status in OPEN_MEASURES


class StatusChange(db.Model):
    """One step of the workflow: who moved it, when and why."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[Status | None] = mapped_column(enum_type(Status))
    to_status: Mapped[Status] = mapped_column(enum_type(Status))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text(), default="")

    recommendation = relationship(Recommendation, back_populates="changes")
    user = relationship("User", lazy="joined")


class ProgressUpdate(db.Model):
    __tablename__ = "progress_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date())
    text: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recommendation = relationship(Recommendation, back_populates="updates")


class Follower(db.Model):
    """Someone who wants an email when a recommendation, or any recommendation on a topic, changes."""

    __tablename__ = "follower"
    __table_args__ = (UniqueConstraint("email", "recommendation_id", "topic_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(8), default="sv")
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="CASCADE"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Carried by its emailed links (with the id), so they open this row and no later one with the same id.
    link_key: Mapped[str | None] = mapped_column(String(32), default=new_link_key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StoredFile:
    """A file kept in the instance folder under a random name (``services.store_upload``), served with
    its checked type by ``files.serve_attachment``; all four columns are empty when there is no file."""

    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(60))
    size: Mapped[int | None]
    storage_name: Mapped[str | None] = mapped_column(String(80), unique=True)

    @property
    def has_file(self) -> bool:
        return bool(self.storage_name)


class HandOn(StoredFile, db.Model):
    """A recommendation outside the city's competence taken up all the same: the city passes it on, e.g.
    by a letter to the government. To whom and when, the letter, and the answer when it comes."""

    __tablename__ = "hand_on"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendation.id", ondelete="CASCADE"), index=True)
    to_whom: Mapped[str] = mapped_column(String(300))
    sent_on: Mapped[date] = mapped_column(Date())
    answer: Mapped[dict] = mapped_column(TranslatedText(), default=dict)
    answered_on: Mapped[date | None] = mapped_column(Date())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="hand_ons")


presentation_recommendation = Table(
    "presentation_recommendation", db.metadata,
    Column("presentation_id", ForeignKey("presentation.id", ondelete="CASCADE"), primary_key=True),
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
)
presentation_member = Table(
    "presentation_member", db.metadata,
    Column("presentation_id", ForeignKey("presentation.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("coreteam_member.id", ondelete="CASCADE"), primary_key=True),
)
presentation_official = Table(
    "presentation_official", db.metadata,
    Column("presentation_id", ForeignKey("presentation.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


presentation_department = Table(
    "presentation_department", db.metadata,
    Column("presentation_id", ForeignKey("presentation.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


class Presentation(StoredFile, db.Model):
    """The joint presentation of results to the decision makers: when, to which body, which core-team
    members and which officials presented (or, where no official is named, which departments), the
    material, and the recommendations presented."""

    __tablename__ = "presentation"

    id: Mapped[int] = mapped_column(primary_key=True)
    presented_on: Mapped[date] = mapped_column(Date(), index=True)
    body: Mapped[str] = mapped_column(String(300))
    # How many decision makers were present (the chapter: decision makers know the effects on non-citizens).
    decision_makers_present: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=presentation_recommendation, back_populates="presentations", order_by=Recommendation.id)
    members = relationship("CoreTeamMember", secondary=presentation_member, order_by="CoreTeamMember.name")
    officials = relationship("User", secondary=presentation_official, order_by="User.name")
    departments = relationship("Department", secondary=presentation_department, order_by="Department.id")
