"""How forums read in the reader's language: when, what is offered, status labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n.content import language_display_name
from ..timeutil import utc_to_local
from .models import Forum, ForumStatus

STATUS_LABELS = {
    ForumStatus.DRAFT: _l("Draft"),
    ForumStatus.PUBLISHED: _l("Open for registration"),
    ForumStatus.CANCELLED: _l("Cancelled"),
    ForumStatus.HELD: _l("Held"),
    ForumStatus.DOCUMENTED: _l("Results published"),
}


def forum_when(forum: Forum) -> str:
    """E.g. "tisdag 3 mars 2027, 18:00–21:00", in the reader's language and the city's time."""
    start, end = utc_to_local(forum.starts_at), utc_to_local(forum.ends_at)
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s", date=format_date(start, "full"),
                 start=format_time(start, "short"), end=format_time(end, "short"))
    return _("%(start)s to %(end)s", start=format_date(start, "full") + " " + format_time(start, "short"),
             end=format_date(end, "full") + " " + format_time(end, "short"))


def interpretation_names(forum: Forum) -> list[str]:
    return [language_display_name(code) for code in forum.interpretation_languages or []]


def home_upcoming_forums(limit: int = 4) -> dict:
    from ..models_base import utcnow
    from ..registrations.counts import counts_for
    from .views import upcoming_and_past

    upcoming, _past = upcoming_and_past(limit)
    return {"forums": upcoming, "counts": counts_for(upcoming), "now": utcnow()}


def dashboard_plan() -> dict:
    from sqlalchemy import select

    from ..extensions import db
    from ..models_base import utcnow
    from ..registrations.counts import counts_for
    from .models import Forum
    from .services import MAX_TOPICS_PER_YEAR, topics_in_year

    now = utcnow()
    year = utc_to_local(now).year
    upcoming = list(db.session.scalars(select(Forum).where(Forum.ends_at >= now).order_by(Forum.starts_at)))
    return {"year": year, "topic_count": topics_in_year(year), "limit": MAX_TOPICS_PER_YEAR,
            "upcoming": upcoming, "counts": counts_for(upcoming)}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(forum_when=forum_when, forum_status_label=STATUS_LABELS.get,
                                 interpretation_names=interpretation_names,
                                 home_upcoming_forums=home_upcoming_forums, dashboard_plan=dashboard_plan)
