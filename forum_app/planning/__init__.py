"""The year's plan: the mandate, topics (at most six a year), forums, partner organisations, budget."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..i18n import gaps
from ..privacy import registry as personal_data
from ..web import panels as registry
from . import admin, display, history, queries, services, views  # noqa: F401 - history: how its audited fields read
from .models import Forum, ForumStatus, Topic


def init_app(app: Flask) -> None:
    personal_data.register("planning", export=services.export_by_address, erase=services.erase_by_address)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    display.init_app(app)
    registry.add_nav(app, "planning.forums", _l("Forums"))
    registry.add_nav(app, "planning.topics", _l("Topics"))
    registry.add_home_section(app, "planning/_home_forums.html", data=queries.home_upcoming_forums)
    registry.add_dashboard_panel(app, "planning/_dashboard.html", data=queries.dashboard_plan)
    # What translators fill in (i18n/gaps.py): the forums still to be held, and every topic of the plan.
    gaps.register(gaps.ContentKind(
        "forum", _l("Forum"), Forum,
        {"hook": _l("Inviting hook"), "description": _l("Invitation text"),
         "venue_access": _l("Access: how to get in and around"), "food": _l("Food and drink"),
         "moderator_role": _l("The moderator's role, for example journalist")},
        title=lambda forum: forum.hook, multiline=frozenset({"description", "venue_access"}),
        rows=lambda: select(Forum).where(Forum.status.in_((ForumStatus.DRAFT, ForumStatus.PUBLISHED)))
        .order_by(Forum.starts_at)))
    gaps.register(gaps.ContentKind(
        "topic", _l("Topic"), Topic, {"title": _l("Title"), "background": _l("Background")},
        title=lambda topic: topic.title, multiline=frozenset({"background"}),
        rows=lambda: select(Topic).order_by(Topic.year.desc(), Topic.id)))
