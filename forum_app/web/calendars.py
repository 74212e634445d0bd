"""RFC 5545 calendar files (forums, core team meetings), with the city's time zone as VTIMEZONE."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event

from ..core.models_base import utcnow
from ..core.timeutil import city_tz, utc_to_local


def build_calendar(*, uid: str, starts_at: datetime, ends_at: datetime, summary: str, description: str = "",
                   location: str = "", url: str = "", cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Migrant forum platform//forum_app//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = current_app.config["BASE_URL"].split("//")[-1].split("/")[0]
    event.add("uid", f"{uid}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", utc_to_local(starts_at))
    event.add("dtend", utc_to_local(ends_at))
    event.add("summary", summary)
    if description or url:
        event.add("description", f"{description}\n\n{url}".strip())
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    # The VTIMEZONE (every change of the city's clock from 1970 to 2038) is most of the work and the
    # same in every file: written once per zone, then put where icalendar puts it, before the event.
    ical = calendar.to_ical()
    return ical.replace(b"BEGIN:VEVENT", _timezone(str(city_tz())) + b"BEGIN:VEVENT", 1)


@lru_cache(maxsize=8)
def _timezone(tzid: str) -> bytes:
    """The VTIMEZONE that ``Calendar.add_missing_timezones`` writes for ``tzid``, as bytes."""
    calendar = Calendar()
    event = Event()
    event.add("dtstart", datetime(2000, 1, 1, tzinfo=ZoneInfo(tzid)))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return b"".join(timezone.to_ical() for timezone in calendar.walk("VTIMEZONE"))  # none for UTC
