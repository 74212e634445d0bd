"""Reads about people and departments that views, forms and other domains need."""

from __future__ import annotations

from sqlalchemy import select

from ..core.extensions import db
from ..i18n.content import localize
from .models import Department, User


def department_choices() -> list[tuple[int, str]]:
    """Every department, named in the reader's language, for a select field."""
    return [(d.id, localize(d.name).text) for d in db.session.scalars(select(Department).order_by(Department.id))]


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))
