"""From forum results to implemented measures: results, recommendations, progress, the public tracker."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.extensions import csrf
from ..i18n import gaps
from ..planning.queries import install_participant_counter
from ..privacy import registry as personal_data
from ..web import panels as registry
from . import admin, display, history, queries, services, views  # noqa: F401 - history: how its audited fields read
from .models import ProgressUpdate, Recommendation, Status


def init_app(app: Flask) -> None:
    personal_data.register("recommendations", export=services.export_by_address, erase=services.erase_by_address)
    # RFC 8058 one-click unsubscribe is a POST from the mail program, without our form token;
    # the signed link itself is the credential.
    csrf.exempt(views.unfollow)
    csrf.exempt(views.confirm_follow)  # the signed link is the credential
    # The follow forms sit on cached tracker pages: checked by Origin, not a session token (public_forms).
    csrf.exempt(views.detail)
    csrf.exempt(views.follow_topic)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.results)
    registry.add_forum_public_panel(app, "recommendations/_forum_result.html", data=queries.took_part_in)
    install_participant_counter(app, lambda forum_ids: {
        forum_id: counted.number for forum_id, counted in queries.took_part(forum_ids).items()})
    app.register_blueprint(admin.bp)
    display.init_app(app)
    registry.add_nav(app, "recommendations.index", _l("Recommendations"))
    registry.add_home_section(app, "recommendations/_home.html", data=queries.tracker_summary)
    registry.add_forum_admin_panel(app, "recommendations/admin/_forum_panel.html")
    registry.add_workspace_panel(app, "recommendations/admin/_workspace.html", data=queries.workspace_data)
    registry.add_dashboard_panel(app, "recommendations/admin/_dashboard.html", "report_progress",
                                 data=queries.workspace_data)
    # What translators fill in (i18n/gaps.py): every recommendation past the core team's draft, every note.
    gaps.register(gaps.ContentKind(
        "recommendation", _l("Recommendation"), Recommendation,
        {"title": _l("Short title"), "text": _l("Recommendation"),
         "route": _l("If outside: how the city passes it on"),
         "responsible_role": _l("Responsible role, as shown to the public"),
         "decision_reason": _l("Reason given for declining"), "outcome": _l("What was done")},
        title=lambda recommendation: recommendation.title,
        multiline=frozenset({"text", "route", "decision_reason", "outcome"}),
        rows=lambda: select(Recommendation).where(Recommendation.status != Status.DRAFT).order_by(Recommendation.id)))
    gaps.register(gaps.ContentKind(
        "progress", _l("Progress"), ProgressUpdate, {"text": _l("Progress")},
        title=lambda update: update.recommendation.title, multiline=frozenset({"text"}),
        rows=lambda: select(ProgressUpdate).order_by(ProgressUpdate.on, ProgressUpdate.id)))
