"""Users and the record of failed logins used to slow guessing."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow


class Role(str, enum.Enum):
    ADMIN = "admin"  # the responsible administrative unit
    CORETEAM = "coreteam"  # a core team volunteer
    OFFICIAL = "official"  # an official in a city department


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

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == cls.normalize_email(email)))

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt, a memory-hard algorithm.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        """Flask-Login: inactive users cannot log in. A core team account lasts as long as the term."""
        if not self.active:
            return False
        if self.role is Role.CORETEAM:
            member = getattr(self, "core_member", None)
            if member is not None:
                from ..coreteam.services import today

                return member.term_end >= today()
        return True

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class LoginFailure(db.Model):
    """One failed login. Old rows stop counting once outside the window, so nobody is locked out
    for good; they are pruned on the next failure."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    @classmethod
    def count_since(cls, key: str, since: datetime) -> int:
        return db.session.scalar(
            select(func.count()).select_from(cls).where(cls.key == key, cls.at >= since)
        ) or 0
