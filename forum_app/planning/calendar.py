"""RFC 5545 calendar files for forums, with the city's time zone included (VTIMEZONE)."""

from __future__ import annotations

from flask import current_app
from icalendar import Calendar, Event

from ..i18n.content import localize
from ..links import external_url
from ..models_base import utcnow
from ..timeutil import utc_to_local
from .models import Forum, ForumStatus


def forum_calendar(forum: Forum, lang: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Migrant forum platform//forum_app//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = current_app.config["BASE_URL"].split("//")[-1].split("/")[0]
    event.add("uid", f"forum-{forum.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", utc_to_local(forum.starts_at))
    event.add("dtend", utc_to_local(forum.ends_at))
    hook = localize(forum.hook, lang).text
    topic = localize(forum.topic.title, lang).text
    event.add("summary", f"{hook} – {topic}" if topic else hook)
    description = localize(forum.description, lang).text
    url = external_url("planning.forum", lang=lang, forum_id=forum.id)
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("location", f"{forum.venue_name}, {forum.venue_address}")
    event.add("url", url)
    event.add("status", "CANCELLED" if forum.status is ForumStatus.CANCELLED else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
