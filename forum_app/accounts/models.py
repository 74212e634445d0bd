"""Users and the record of failed logins used to slow guessing."""

from __future__ import annotations

import enum
from datetime import datetime

from flask import current_app
from flask_login import AnonymousUserMixin, UserMixin
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import events
from ..core.addresses import normalize_email
from ..core.extensions import db
from ..core.models_base import UTCDateTime, enum_type, utcnow
from ..i18n.content import TranslatedText
from ..web import permissions


class Role(str, enum.Enum):
    ADMIN = "admin"  # the responsible administrative unit
    CORETEAM = "coreteam"  # a core team volunteer
    OFFICIAL = "official"  # an official in a city department
    TRANSLATOR = "translator"  # fills in staff content in a language it lacks, nothing else


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
    # Part of the login kept in the session cookie: raising it ends every session of this person
    # (logout, a new password, a change of role), even a cookie copied earlier.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Officials belong to a department and see the measures assigned to it.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))

    department = relationship("Department", lazy="joined")

    normalize_email = staticmethod(normalize_email)

    @classmethod
    def by_email(cls, email: str) -> "User | None":
        return db.session.scalar(select(cls).where(cls.email == normalize_email(email)))

    def set_password(self, password: str) -> None:
        # scrypt, memory-hard, unless the tests chose a cheaper method (config.py).
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        """Flask-Login: inactive users cannot log in."""
        if not self.active:
            return False
        # A higher domain may have ended this person's access (the core team: a term that is over).
        return all(answer is not False for _receiver, answer in events.account_checked.send(self))

    def get_id(self) -> str:
        """Flask-Login keeps this in the session; see ``accounts.load_user``."""
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    def can(self, ability: str) -> bool:
        """Whether this person may do ``ability`` (see web/permissions.py)."""
        return self.is_active and permissions.can(self.role, ability)


class Anonymous(AnonymousUserMixin):
    """A reader who is not logged in may do nothing that needs an ability."""

    def can(self, ability: str) -> bool:
        permissions.roles_with(ability)  # an unknown ability is a mistake, logged in or not
        return False


class PasswordLink(db.Model):
    """A single-use, expiring link with which a person chooses a password: a staff invitation, a
    forgotten password, or a core-team member's invitation to the workspace. Only the hash is kept."""

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
