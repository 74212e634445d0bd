"""Who may do what with a recommendation, in one table. Views, the API and tests all ask here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, true

from ..accounts.models import Department, Role, User
from ..core.errors import DomainError
from .models import Recommendation, Status

ADMIN, CORETEAM, OFFICIAL = Role.ADMIN, Role.CORETEAM, Role.OFFICIAL

# (from, to) -> the roles that may make the move, and what the move needs besides a note.
TRANSITIONS: dict[tuple[Status, Status], tuple[frozenset, tuple[str, ...]]] = {
    (Status.DRAFT, Status.AGREED): (frozenset({ADMIN, CORETEAM}), ()),
    (Status.AGREED, Status.DRAFT): (frozenset({ADMIN, CORETEAM}), ()),
    (Status.AGREED, Status.PRESENTED): (frozenset({ADMIN}), ("presented_on", "presented_to")),
    (Status.PRESENTED, Status.ACCEPTED): (frozenset({ADMIN}), ()),
    (Status.PRESENTED, Status.DECLINED): (frozenset({ADMIN}), ("decision_reason",)),
    (Status.ACCEPTED, Status.IN_PROGRESS): (frozenset({ADMIN, OFFICIAL}), ()),
    (Status.IN_PROGRESS, Status.IMPLEMENTED): (frozenset({ADMIN, OFFICIAL}), ("outcome",)),
    (Status.IN_PROGRESS, Status.PARTLY_IMPLEMENTED): (frozenset({ADMIN, OFFICIAL}), ("outcome",)),
    (Status.PARTLY_IMPLEMENTED, Status.IN_PROGRESS): (frozenset({ADMIN, OFFICIAL}), ()),
    (Status.PARTLY_IMPLEMENTED, Status.IMPLEMENTED): (frozenset({ADMIN, OFFICIAL}), ("outcome",)),
}

DRAFTING = (Status.DRAFT, Status.AGREED)
IMPLEMENTING = (Status.ACCEPTED, Status.IN_PROGRESS, Status.PARTLY_IMPLEMENTED)


class WorkflowError(DomainError):
    """A rule of this domain refused; see ``errors.DomainError``."""


def is_responsible(user: User, recommendation: Recommendation) -> bool:
    """An official acts only on measures of their own department or assigned to them by name."""
    if recommendation.responsible_official_id == user.id:
        return True
    return user.department_id is not None and any(d.id == user.department_id for d in recommendation.departments)


# A measure has costs once the city has accepted it.
BUDGETED = (Status.ACCEPTED, Status.IN_PROGRESS, Status.PARTLY_IMPLEMENTED, Status.IMPLEMENTED)


def cost_departments(user: User, recommendation: Recommendation) -> list[Department]:
    """The departments whose costs on this measure ``user`` may enter (issue 27 item 6): an administrator's,
    any department it is addressed to; an official's, their own department if it is one of them."""
    if recommendation.status not in BUDGETED or not user.can("budget_measures"):
        return []
    if user.role is ADMIN:
        return list(recommendation.departments)
    return [d for d in recommendation.departments if d.id == user.department_id]


def can_view(user: User, recommendation: Recommendation) -> bool:
    if user.role in (ADMIN, CORETEAM):
        return True
    return user.role is OFFICIAL and is_responsible(user, recommendation)


def can_view_file(user: User, item) -> bool:  # noqa: ANN001 - a HandOn or a Presentation
    """A staff member downloads a recommendation's file only if they may see the recommendation: a
    hand-on's letter goes with its recommendation, a presentation's material with any of those presented.
    The one check for every staff file route (``admin.py``), so no download is wider than its page."""
    recommendations = [item.recommendation] if hasattr(item, "recommendation") else list(item.recommendations)
    if user.role in (ADMIN, CORETEAM):
        return True
    return any(can_view(user, recommendation) for recommendation in recommendations)


def viewable_by(user: User) -> ColumnElement[bool]:
    """``can_view`` as a condition on ``Recommendation``, so the staff list can be paged in the database
    (a test holds the two to the same answer for every role)."""
    if user.role in (ADMIN, CORETEAM):
        return true()
    mine = Recommendation.responsible_official_id == user.id
    if user.department_id is None:
        return mine
    return or_(mine, Recommendation.departments.any(Department.id == user.department_id))


def can_edit(user: User, recommendation: Recommendation) -> bool:
    if recommendation.status in DRAFTING:
        return user.role in (ADMIN, CORETEAM)
    return user.role is ADMIN


def can_assign(user: User, recommendation: Recommendation) -> bool:
    return user.role is ADMIN


def can_post_update(user: User, recommendation: Recommendation) -> bool:
    if recommendation.status not in IMPLEMENTING:
        return False
    return user.role is ADMIN or (user.role is OFFICIAL and is_responsible(user, recommendation))


def allowed_moves(user: User, recommendation: Recommendation) -> list[Status]:
    return [to for (frm, to), (roles, _needs) in TRANSITIONS.items()
            if frm is recommendation.status and user.role in roles
            and (user.role is not OFFICIAL or is_responsible(user, recommendation))]


def check_move(user: User, recommendation: Recommendation, to: Status, given: dict) -> None:
    """Raise WorkflowError, with a message for the person, unless ``user`` may make this move now."""
    rule = TRANSITIONS.get((recommendation.status, to))
    if rule is None:
        raise WorkflowError(_l("A recommendation cannot go from this status to that one."))
    roles, needs = rule
    if user.role not in roles or (user.role is OFFICIAL and not is_responsible(user, recommendation)):
        raise WorkflowError(_l("Your role may not make this change."))
    missing = [name for name in needs if not given.get(name)]
    if "presented_on" in missing or "presented_to" in missing:
        raise WorkflowError(_l("Say when, and to which meeting of the leadership, it was presented."))
    if "decision_reason" in missing:
        raise WorkflowError(_l("A declined recommendation needs the reason the leadership gave."))
    if "outcome" in missing:
        raise WorkflowError(_l("Describe what was done."))
