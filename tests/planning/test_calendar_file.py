"""The calendar file's time zone is written once per zone and put in every file, as icalendar would."""

from datetime import UTC, datetime

from icalendar import Calendar, Event

from forum_app.core.timeutil import city_tz
from forum_app.web import calendars


def _made_by_icalendar(**fields) -> bytes:
    """The file as ``icalendar`` writes it with its own ``add_missing_timezones``."""
    calendar = Calendar()
    for name, value in (("prodid", "-//Migrant forum platform//forum_app//EN"), ("version", "2.0"),
                        ("method", "PUBLISH")):
        calendar.add(name, value)
    event = Event()
    for name, value in fields.items():
        event.add(name, value)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def test_the_calendar_file_is_what_icalendar_writes_with_its_own_time_zone(app_ctx, monkeypatch):
    stamp = datetime(2026, 11, 30, 8, tzinfo=UTC)
    monkeypatch.setattr(calendars, "utcnow", lambda: stamp)
    starts, ends = datetime(2027, 3, 1, 17, tzinfo=UTC), datetime(2027, 3, 1, 19, tzinfo=UTC)
    ours = calendars.build_calendar(uid="forum-7", starts_at=starts, ends_at=ends, summary="Boende – Hej",
                                    description="Välkommen", location="Stadshuset, Torget 1",
                                    url="http://localhost/sv/forums/7")
    for _ in range(2):  # the second file comes from the remembered time zone
        assert calendars.build_calendar(uid="forum-7", starts_at=starts, ends_at=ends, summary="Boende – Hej",
                                        description="Välkommen", location="Stadshuset, Torget 1",
                                        url="http://localhost/sv/forums/7") == ours
    host = app_ctx.config["BASE_URL"].split("//")[-1].split("/")[0]
    assert ours == _made_by_icalendar(
        uid=f"forum-7@{host}", dtstamp=stamp, dtstart=starts.astimezone(city_tz()), dtend=ends.astimezone(city_tz()),
        summary="Boende – Hej", description="Välkommen\n\nhttp://localhost/sv/forums/7",
        location="Stadshuset, Torget 1", url="http://localhost/sv/forums/7", status="CONFIRMED")
    parsed = Calendar.from_ical(ours)
    assert not parsed.get_missing_tzids()
    assert [tz.tz_name for tz in parsed.timezones] == [str(city_tz())]
