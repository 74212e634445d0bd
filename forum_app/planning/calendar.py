"""The calendar file of a forum, in one language."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n.content import localize
from ..web.calendars import CalendarEvent, build_calendar_of
from ..web.links import external_url
from .display import programme_lines, venue_line
from .models import Forum, ForumStatus


def _description(forum: Forum, lang: str) -> str:
    """The invitation text, then a full day's side programme, one item a line."""
    text = localize(forum.description, lang).text
    lines = programme_lines(forum, lang)
    if not lines:
        return text
    with force_locale(lang):
        heading = _("Side programme")
        items = [_("%(time)s %(title)s: %(about)s", time=time, title=title, about=about) if about
                 else f"{time} {title}" for time, title, about in lines]
    return "\n\n".join(part for part in (text, "\n".join([heading, *items])) if part)


def _event(forum: Forum, lang: str) -> CalendarEvent:
    hook = localize(forum.hook, lang).text
    topic = localize(forum.topic.title, lang).text
    with force_locale(lang):
        summary = _("%(hook)s – %(topic)s", hook=hook, topic=topic) if topic else hook
        location = venue_line(forum)
    return CalendarEvent(
        uid=f"forum-{forum.id}", starts_at=forum.starts_at, ends_at=forum.ends_at,
        summary=summary, description=_description(forum, lang), location=location,
        url=external_url("planning.forum", lang=lang, forum_id=forum.id),
        cancelled=forum.status is ForumStatus.CANCELLED, sequence=forum.calendar_sequence or 0,
        changed_at=forum.updated_at)


def forum_calendar(forum: Forum, lang: str) -> bytes:
    """One forum. The UID is the forum's for ever; its SEQUENCE (``forum.calendar_sequence``) is raised each time
    the published forum moves (``services.save_forum``), so a calendar program updates the event it has."""
    return build_calendar_of([_event(forum, lang)])


def forums_calendar(forums: list[Forum], lang: str) -> bytes:
    """The coming forums, as a calendar to subscribe to (each event with the UID of its own file)."""
    with force_locale(lang):
        name = _("Migrant forum")
    return build_calendar_of([_event(forum, lang) for forum in forums],
                             name=f"{name} · {current_app.config['CITY_NAME']}")
