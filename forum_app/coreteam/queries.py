"""Reads of the core team that pages, the dashboard and the workspace show."""

from __future__ import annotations

from sqlalchemy import func, select

from ..accounts.models import Role, User
from ..core.extensions import db
from ..core.models_base import utcnow
from ..planning.models import Forum, ForumStatus
from ..planning.queries import places
from ..web import panels as registry
from .models import Meeting, Volunteer, VolunteerStatus
from .services import MAX_TEAM, MIN_TEAM, team_overview


def workspace_context() -> dict:
    """What the core team works on now: coming forums and meetings, and (later) results and drafts."""
    now = utcnow()
    forums = db.session.scalars(select(Forum).where(Forum.ends_at >= now, Forum.status == ForumStatus.PUBLISHED)
                                .order_by(Forum.starts_at).limit(6)).all()
    coming = db.session.scalars(select(Meeting).where(Meeting.ends_at >= now).order_by(Meeting.starts_at).limit(5)).all()
    past = db.session.scalars(select(Meeting).where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
                              .limit(5)).all()
    return {"forums": forums, "counts": places(forums), "coming_meetings": coming, "past_meetings": past,
            "panels": registry.panels("workspace")}


def overview() -> dict:
    pending = db.session.scalar(select(func.count()).select_from(Volunteer)
                                .where(Volunteer.status == VolunteerStatus.PENDING))
    return {"team": team_overview(), "pending": pending, "min": MIN_TEAM, "max": MAX_TEAM}


def officials() -> list:
    """Active officials, to invite to a core-team meeting."""
    return list(db.session.scalars(select(User).where(User.role == Role.OFFICIAL, User.active.is_(True))
                                   .order_by(User.name)))
