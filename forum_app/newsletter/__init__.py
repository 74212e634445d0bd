"""The newsletter: subscribers in seven languages, issues drafted from the period's work, sent exactly once."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import events
from ..core.extensions import csrf
from ..core.timeutil import city_today
from ..i18n import gaps
from ..privacy import registry as personal_data
from ..web import panels as registry
from . import admin, history, services, views
from .cli import newsletter_cli
from .models import Issue, IssueStatus, Section

UNSENT = (IssueStatus.DRAFT, IssueStatus.SCHEDULED)


def init_app(app: Flask) -> None:
    personal_data.register("newsletter", export=services.export_by_address, erase=services.erase_by_address)
    # RFC 8058 one-click unsubscribe comes from the mail program without our form token.
    csrf.exempt(views.unsubscribe)
    csrf.exempt(views.confirm)  # the signed link is the credential, as for unsubscribing
    # The subscribe form sits on cached pages: checked by Origin, not a session token (public_forms).
    csrf.exempt(views.index)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.cli.add_command(newsletter_cli)
    registry.add_nav(app, "newsletter.index", _l("Newsletter"))
    registry.add_dashboard_panel(app, "newsletter/admin/_dashboard.html", "manage_newsletter", data=_plan)
    app.jinja_env.globals["newsletter_status"] = _status
    # What translators fill in (i18n/gaps.py): the issues not yet sent, their subject and each article.
    gaps.register(gaps.ContentKind(
        "issue", _l("Newsletter issue"), Issue, {"title": _l("Title")}, title=lambda issue: issue.title,
        rows=lambda: select(Issue).where(Issue.status.in_(UNSENT)).order_by(Issue.period_end)))
    gaps.register(gaps.ContentKind(
        "article", _l("Newsletter article"), Section, {"heading": _l("Heading"), "body": _l("Text")},
        title=lambda section: section.heading, multiline=frozenset({"body"}),
        rows=lambda: select(Section).join(Issue).where(Issue.status.in_(UNSENT))
        .order_by(Issue.period_end, Section.position)))


@events.registered.connect
def _subscribe_from_registration(registration, subscribe: bool = False, **_kwargs) -> None:  # noqa: ANN001
    """The newsletter box on the registration form starts the same double opt-in as the newsletter page."""
    if subscribe and registration.email:
        services.request_subscription(registration.email, registration.language)


def _status(issue) -> str:  # noqa: ANN001
    return history.status_words(issue.status)


def _plan() -> dict:
    return services.year_plan(city_today().year)
