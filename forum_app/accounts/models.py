"""Users and the record of failed logins used to slow guessing."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .. import events
from ..addresses import normalize_email
from ..extensions import db
from ..i18n.content import TranslatedText
from ..models_base import UTCDateTime, enum_type, utcnow


class Role(str, enum.Enum):
    ADMIN = "admin"  # the responsible administrative unit
    CORETEAM = "coreteam"  # a core team volunteer
    OFFICIAL = "official"  # an official in a city department


class Department(db.Model):
    """A department of the city: officials belong to one, recommendations and budget lines name them."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[dict] = mapped_column(TranslatedText(), default=dict)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[Role] = mapped_column(enum_type(Role, 20))
    language: Mapped[str] = mapped_column(String(8), default="sv")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Officials belong to a department and see the measures assigned to it.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))

    department = relationship("Department", lazy="joined")

    normalize_email = staticmethod(normalize_email)

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == normalize_email(email)))

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt, a memory-hard algorithm.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        """Flask-Login: inactive users cannot log in."""
        if not self.active:
            return False
        # A higher domain may have ended this person's access (the core team: a term that is over).
        return all(answer is not False for _receiver, answer in events.account_checked.send(self))

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
