"""The newsletter: subscribers in seven languages, issues drafted from the period's work, sent exactly once."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from ..accounts.models import Role
    from ..extensions import csrf
    from ..site import registry
    from . import admin, views
    from .cli import newsletter_cli

    # RFC 8058 one-click unsubscribe comes from the mail program without our form token.
    csrf.exempt(views.unsubscribe)
    # The subscribe form sits on cached pages: checked by Origin, not a session token (public_forms).
    csrf.exempt(views.index)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.cli.add_command(newsletter_cli)
    registry.add_nav(app, "newsletter.index", _l("Newsletter"))
    registry.add_dashboard_panel(app, "newsletter/admin/_dashboard.html", Role.ADMIN)
    app.jinja_env.globals["newsletter_plan"] = _plan
    app.jinja_env.globals["newsletter_status"] = _status


def _status(issue) -> str:  # noqa: ANN001
    from flask_babel import gettext as _

    from .models import IssueStatus

    return {IssueStatus.DRAFT: _("Draft"), IssueStatus.SCHEDULED: _("Scheduled"),
            IssueStatus.SENDING: _("Being sent"), IssueStatus.SENT: _("Sent")}[issue.status]


def _plan() -> dict:
    from ..timeutil import city_today
    from .services import year_plan

    return year_plan(city_today().year)
