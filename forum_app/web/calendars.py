"""RFC 5545 calendar files (forums, core team meetings), with the city's time zone as VTIMEZONE.

Every file is ``METHOD:PUBLISH`` with an ORGANIZER (the city's contact, as RFC 5546 asks of a published
event), one UID per event that never changes, and a SEQUENCE the caller raises whenever the event changes
(a moved forum), so a calendar program updates the event instead of adding a second one.

The VTIMEZONE gives the zone's rules as a yearly RRULE, one STANDARD and one DAYLIGHT part, as the zone's
own definition does. (icalendar's ``add_missing_timezones`` lists every change of clock as RDATE dates,
which vobject -- behind many CalDAV servers -- ignores: it read a September forum an hour off.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from ..core.models_base import utcnow
from ..core.timeutil import city_tz, utc_to_local
from .seo import publisher_email, publisher_name


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # unique on this site (``forum-7``); the site's host is added
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0  # raised by one on every change the attendees should see
    # When the event last changed: its DTSTAMP and LAST-MODIFIED, so the same event gives the same file (one
    # ETag for a cached download); without it, the moment the file is written.
    changed_at: datetime | None = None


def build_calendar(*, uid: str, starts_at: datetime, ends_at: datetime, summary: str, description: str = "",
                   location: str = "", url: str = "", cancelled: bool = False, sequence: int = 0,
                   changed_at: datetime | None = None) -> bytes:
    """A file with one event."""
    return build_calendar_of([CalendarEvent(uid, starts_at, ends_at, summary, description, location, url, cancelled,
                                            sequence, changed_at)])


def build_calendar_of(events: list[CalendarEvent], *, name: str = "") -> bytes:
    """A file with any number of events (a feed to subscribe to, named ``name`` in the calendar program)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Migrant forum platform//forum_app//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    host = current_app.config["BASE_URL"].split("//")[-1].split("/")[0]
    organizer = _organizer()
    stamp = utcnow()
    for item in events:
        calendar.add_component(_event(item, host, organizer, stamp))
    # The VTIMEZONE is the same in every file: written once per zone, then put before the first event.
    ical = calendar.to_ical()
    return ical.replace(b"BEGIN:VEVENT", _timezone(str(city_tz())) + b"BEGIN:VEVENT", 1)


def _organizer() -> vCalAddress:
    """The city's contact address, named after the unit that runs the forum."""
    organizer = vCalAddress(f"mailto:{publisher_email()}")
    organizer.params["cn"] = publisher_name()
    return organizer


def _event(item: CalendarEvent, host: str, organizer: vCalAddress, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{item.uid}@{host}")
    event.add("dtstamp", item.changed_at or stamp)
    if item.changed_at:
        event.add("last-modified", item.changed_at)
    event.add("sequence", item.sequence)
    event.add("dtstart", utc_to_local(item.starts_at))
    event.add("dtend", utc_to_local(item.ends_at))
    event.add("summary", item.summary)
    event.add("organizer", organizer)
    if item.description or item.url:
        event.add("description", f"{item.description}\n\n{item.url}".strip())
    if item.location:
        event.add("location", item.location)
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


# The zone's rules are read from the tz database for this year and followed back as long as they held.
EARLIEST_YEAR = 1970


@lru_cache(maxsize=8)
def _timezone(tzid: str) -> bytes:
    """The VTIMEZONE of ``tzid`` with its rules as RRULEs, as bytes; nothing for UTC."""
    zone = ZoneInfo(tzid)
    this_year = date.today().year
    changes = _changes(zone, this_year)
    new_year = datetime(this_year, 1, 1, tzinfo=UTC).astimezone(zone)
    if not changes and new_year.utcoffset() == timedelta(0):
        return b""
    timezone = Timezone()
    timezone.add("tzid", tzid)
    if not changes:  # no summer time: one offset
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(EARLIEST_YEAR, 1, 1))
        standard.add("tzoffsetfrom", new_year.utcoffset())
        standard.add("tzoffsetto", new_year.utcoffset())
        standard.add("tzname", new_year.tzname())
        timezone.add_component(standard)
        return timezone.to_ical()
    first = this_year
    while first > EARLIEST_YEAR and _rules(zone, _changes(zone, first - 1)) == _rules(zone, changes):
        first -= 1
    for moment, before, after in _changes(zone, first):
        part = TimezoneDaylight() if moment.astimezone(zone).dst() else TimezoneStandard()
        local_before = (moment + before).replace(tzinfo=None)  # RFC 5545: the onset in the time before it
        part.add("dtstart", local_before)
        part.add("rrule", _yearly_rule(local_before))
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", zone.tzname(moment.astimezone(zone)))
        timezone.add_component(part)
    return timezone.to_ical()


def _changes(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """Each change of the zone's clock in ``year``: the moment (UTC) and the offsets before and after."""
    changes = []
    def offset_at(moment: datetime) -> timedelta:
        return moment.astimezone(zone).utcoffset()

    moment = datetime(year, 1, 1, tzinfo=UTC)
    offset = offset_at(moment)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    while moment < end:
        following = moment + timedelta(days=1)
        if offset_at(following) != offset:  # a change within this day: find its minute
            low, high = 0, 24 * 60
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset_at(moment + timedelta(minutes=middle)) == offset else (low, middle)
            change = moment + timedelta(minutes=high)
            changes.append((change, offset, offset_at(change)))
            offset = offset_at(change)
        moment = following
    return changes


def _rules(zone: ZoneInfo, changes: list[tuple[datetime, timedelta, timedelta]]) -> list:
    """What makes a year's changes one rule: the local time and the rule's day, the offsets."""
    return [((moment + before).time(), _yearly_rule((moment + before).replace(tzinfo=None)), before, after)
            for moment, before, after in changes]


def _yearly_rule(local: datetime) -> dict:
    """E.g. the last Sunday in March: ``FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU``; the first: ``1SU``."""
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
    last = (local + timedelta(days=7)).month != local.month
    return {"freq": "yearly", "bymonth": local.month, "byday": f"{-1 if last else (local.day - 1) // 7 + 1}{weekday}"}
