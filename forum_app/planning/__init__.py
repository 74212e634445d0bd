"""The year's plan: the mandate, topics (at most six a year), forums, partner organisations, budget."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..privacy import registry as personal_data
from ..web import panels as registry
from . import admin, display, history, queries, services, views  # noqa: F401 - history: how its audited fields read


def init_app(app: Flask) -> None:
    personal_data.register("planning", export=services.export_by_address, erase=services.erase_by_address)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    display.init_app(app)
    registry.add_nav(app, "planning.forums", _l("Forums"))
    registry.add_nav(app, "planning.topics", _l("Topics"))
    registry.add_home_section(app, "planning/_home_forums.html", data=queries.home_upcoming_forums)
    registry.add_dashboard_panel(app, "planning/_dashboard.html", data=queries.dashboard_plan)
