"""From forum results to implemented measures: results, recommendations, progress, the public tracker."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..site import registry
    from . import admin, display, views

    from ..extensions import csrf

    # RFC 8058 one-click unsubscribe is a POST from the mail program, without our form token;
    # the signed link itself is the credential.
    csrf.exempt(views.unfollow)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.results)
    registry.add_forum_public_panel(app, "recommendations/_forum_result.html")
    app.register_blueprint(admin.bp)
    display.init_app(app)
    registry.add_nav(app, "recommendations.index", _l("Recommendations"))
    registry.add_home_section(app, "recommendations/_home.html")
    registry.add_forum_admin_panel(app, "recommendations/admin/_forum_panel.html")
    registry.add_workspace_panel(app, "recommendations/admin/_workspace.html")
    registry.add_dashboard_panel(app, "recommendations/admin/_dashboard.html", Role.ADMIN, Role.OFFICIAL)
    app.jinja_env.globals["recommendations_workspace"] = admin.workspace_data
    app.jinja_env.globals["tracker_summary"] = _tracker_summary


def _tracker_summary() -> dict:
    from sqlalchemy import func, select

    from ..extensions import db
    from .display import PUBLIC_STATUSES
    from .models import Recommendation, Status

    # Counted in the database: the home page should not load every recommendation.
    counts = dict(db.session.execute(select(Recommendation.status, func.count())
                                     .where(Recommendation.status.in_(PUBLIC_STATUSES))
                                     .group_by(Recommendation.status)).all())
    return {"total": sum(counts.values()), "implemented": counts.get(Status.IMPLEMENTED, 0),
            "in_progress": counts.get(Status.IN_PROGRESS, 0) + counts.get(Status.PARTLY_IMPLEMENTED, 0)}
