"""The calendar file of a forum, in one language."""

from __future__ import annotations

from ..calendars import build_calendar
from ..i18n.content import localize
from ..links import external_url
from .models import Forum, ForumStatus


def forum_calendar(forum: Forum, lang: str) -> bytes:
    hook = localize(forum.hook, lang).text
    topic = localize(forum.topic.title, lang).text
    return build_calendar(
        uid=f"forum-{forum.id}", starts_at=forum.starts_at, ends_at=forum.ends_at,
        summary=f"{hook} – {topic}" if topic else hook, description=localize(forum.description, lang).text,
        location=f"{forum.venue_name}, {forum.venue_address}",
        url=external_url("planning.forum", lang=lang, forum_id=forum.id),
        cancelled=forum.status is ForumStatus.CANCELLED)
