"""Impact and results: anonymous feedback after each forum, the chapter's indicators per year, the
annual report (HTML and PDF) and its figures as CSV.

Sits above ``recommendations`` and below ``newsletter`` and ``api``: it reads planning,
registrations and recommendations, and nothing below imports it.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    # Imported when the app is built, as every domain does: the models need the app's extensions.
    from ..privacy import registry as personal_data  # noqa: PLC0415 - core; imported when the app is built, as above
    from ..web import panels as registry  # as above
    from . import admin, models, report, services, views  # noqa: F401 - models for migrations

    personal_data.register("impact", export=services.export_by_address, erase=services.erase_by_address)

    app.register_blueprint(views.bp)
    app.register_blueprint(views.short)
    app.register_blueprint(admin.bp)
    report.init_app(app)
    app.config.setdefault("FEEDBACK_DAYS", 21)
    app.config.setdefault("INTEGRATION_OFFICE_DEPARTMENT", "Integrationsenheten")
    registry.add_nav(app, "impact.index", _l("Results"))
    registry.add_forum_public_panel(app, "impact/_forum_feedback.html")
    registry.add_forum_admin_panel(app, "impact/admin/_forum_panel.html")
    registry.add_dashboard_panel(app, "impact/admin/_dashboard.html", "manage_impact")
    app.jinja_env.globals.update(forum_feedback=queries_forum_feedback, feedback_is_open=_feedback_is_open,
                                 impact_current_year=_current_year)


def _current_year() -> int:
    from ..core.timeutil import city_today  # not at import time, as above

    return city_today().year


def queries_forum_feedback(forum_id: int):  # noqa: ANN201
    from .queries import forum_feedback  # not at import time: the package is imported before the app exists

    return forum_feedback(forum_id)


def _feedback_is_open(forum) -> bool:  # noqa: ANN001
    from .services import is_open  # not at import time: the package is imported before the app exists

    return is_open(forum)
