"""Reads of the core team that pages, the dashboard and the workspace show."""

from __future__ import annotations

from collections.abc import Iterable

from flask_login import current_user
from sqlalchemy import func, select

from ..core.extensions import db
from ..core.models_base import utcnow
from ..planning.queries import places, published_not_over
from ..web import panels as registry
from .models import CoreTeamMember, Meeting, Volunteer, VolunteerStatus
from .services import MAX_TEAM, MIN_TEAM, team_overview


def workspace_context() -> dict:
    """What the core team works on now: coming forums and meetings, and (later) results and drafts."""
    now = utcnow()
    forums = published_not_over(6)
    coming = db.session.scalars(select(Meeting).where(Meeting.ends_at >= now).order_by(Meeting.starts_at).limit(5)).all()
    past = db.session.scalars(select(Meeting).where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
                              .limit(5)).all()
    return {"forums": forums, "counts": places(forums), "coming_meetings": coming, "past_meetings": past,
            "panels": registry.panels("workspace")}


def overview() -> dict:
    pending = db.session.scalar(select(func.count()).select_from(Volunteer)
                                .where(Volunteer.status == VolunteerStatus.PENDING))
    return {"team": team_overview(), "pending": pending, "min": MIN_TEAM, "max": MAX_TEAM}


def members_by_id(member_ids: Iterable[int]) -> list[CoreTeamMember]:
    member_ids = list(member_ids)
    return list(db.session.scalars(select(CoreTeamMember).where(CoreTeamMember.id.in_(member_ids)))) \
        if member_ids else []


def meetings_of_official() -> dict:
    """The core-team meetings the logged-in official is invited to, the coming ones first: their dashboard
    links to each meeting's record (agenda, notes, decisions)."""
    rows = db.session.scalars(select(Meeting).where(Meeting.officials.any(id=current_user.id))
                              .order_by(Meeting.starts_at.desc()).limit(10)).all()
    return {"meetings": rows, "now": utcnow()}
