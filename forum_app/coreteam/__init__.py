"""The core team: volunteers, one-year terms, meetings between forums, and a workspace."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..site import registry
    from . import admin, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    registry.add_nav(app, "coreteam.join", _l("Core team"))
    registry.add_dashboard_panel(app, "coreteam/_dashboard_admin.html", Role.ADMIN)
    registry.add_dashboard_panel(app, "coreteam/_dashboard_workspace.html", Role.CORETEAM)
    app.jinja_env.globals["coreteam_workspace"] = admin.workspace_context
    app.jinja_env.globals["coreteam_overview"] = _overview
    from .forms import task_choices

    app.jinja_env.globals["task_choices"] = task_choices


def _overview():
    from .services import MAX_TEAM, MIN_TEAM, team_overview
    from sqlalchemy import func, select

    from ..extensions import db
    from .models import Volunteer, VolunteerStatus

    pending = db.session.scalar(select(func.count()).select_from(Volunteer)
                                .where(Volunteer.status == VolunteerStatus.PENDING))
    return {"team": team_overview(), "pending": pending, "min": MIN_TEAM, "max": MAX_TEAM}
