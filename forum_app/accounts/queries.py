"""Reads about people and departments that views, forms and other domains need."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ..core.extensions import db
from ..i18n.content import localize
from .models import Department, Role, User


def department_choices() -> list[tuple[int, str]]:
    """Every department, named in the reader's language, for a select field."""
    return [(d.id, localize(d.name).text) for d in db.session.scalars(select(Department).order_by(Department.id))]


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def officials(*, inactive_too: bool = False) -> list[User]:
    """The city's officials by name, each with their department (loaded with the user).

    Choosing who answers for a measure or who was at a presentation offers every official (a measure keeps
    its official after they leave); inviting to a meeting offers only those who can still log in.
    """
    query = select(User).where(User.role == Role.OFFICIAL).order_by(User.name, User.id)
    return list(db.session.scalars(query if inactive_too else query.where(User.active.is_(True))))


def active_admins() -> list[User]:
    """The administrators who can still log in: they hear of what needs an administrator's decision."""
    return list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))
                                   .order_by(User.id)))


def users_by_id(user_ids: Iterable[int]) -> list[User]:
    user_ids = list(user_ids)
    return list(db.session.scalars(select(User).where(User.id.in_(user_ids)))) if user_ids else []


def departments_by_id(department_ids: Iterable[int]) -> list[Department]:
    department_ids = list(department_ids)
    return list(db.session.scalars(select(Department).where(Department.id.in_(department_ids)))) \
        if department_ids else []


def people_by_name() -> list[tuple[int, str, str]]:
    """Every account's id, name and email, by name: the audit log's "who" filter."""
    return list(db.session.execute(select(User.id, User.name, User.email).order_by(User.name, User.email)).all())
