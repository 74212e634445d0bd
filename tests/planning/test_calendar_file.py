"""Calendar files every program reads alike: vobject (behind many CalDAV servers) and icalendar read the
same moment for a summer and a winter forum, because the VTIMEZONE gives the zone's rules (RRULE); each
published file names its ORGANIZER, keeps one UID per forum and carries a SEQUENCE."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from forum_app.core.extensions import db
from forum_app.planning.calendar import forum_calendar
from forum_app.planning.models import Forum, ForumStatus
from forum_app.web import calendars

from .. import factories


def _vobject_start(ics: bytes) -> datetime:
    return vobject.readOne(ics.decode()).vevent.dtstart.value


def _icalendar_start(ics: bytes) -> datetime:
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    return event["DTSTART"].dt


@pytest.mark.parametrize("days, offset", [(45, 1), (250, 2)])
def test_vobject_and_icalendar_read_a_winter_and_a_summer_forum_at_the_same_moment(app, clock, days, offset):
    clock("2027-01-10T12:00+01:00")  # a forum 45 days later is in February, 250 days later in September
    with app.app_context():
        forum = factories.forum(days=days)
        forum_id, starts_at = forum.id, forum.starts_at
    response = app.test_client(use_cookies=False).get(f"/en/forums/{forum_id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    for start in (_vobject_start(response.data), _icalendar_start(response.data)):
        assert start == starts_at
        assert start.utcoffset() == timedelta(hours=offset)
        assert start.replace(tzinfo=None) == starts_at.astimezone(ZoneInfo("Europe/Stockholm")).replace(tzinfo=None)


def test_the_time_zone_is_written_as_its_rules(app_ctx):
    ics = calendars.build_calendar(uid="forum-7", starts_at=datetime(2027, 3, 1, 17, tzinfo=UTC),
                                   ends_at=datetime(2027, 3, 1, 19, tzinfo=UTC), summary="Boende")
    [zone] = Calendar.from_ical(ics).walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    parts = {part.name: part for part in zone.subcomponents}
    assert sorted(parts) == ["DAYLIGHT", "STANDARD"] and len(zone.subcomponents) == 2
    assert b"RDATE" not in ics
    summer, winter = parts["DAYLIGHT"], parts["STANDARD"]
    assert summer["RRULE"]["BYMONTH"] == [3] and summer["RRULE"]["BYDAY"] == ["-1SU"]
    assert winter["RRULE"]["BYMONTH"] == [10] and winter["RRULE"]["BYDAY"] == ["-1SU"]
    # The onset in the local time before the change (RFC 5545): 02:00 in spring, 03:00 in autumn.
    assert summer["DTSTART"].dt.hour == 2 and winter["DTSTART"].dt.hour == 3
    assert summer["TZOFFSETFROM"].td == winter["TZOFFSETTO"].td == timedelta(hours=1)
    assert summer["TZOFFSETTO"].td == winter["TZOFFSETFROM"].td == timedelta(hours=2)


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Asia/Tehran", "Asia/Tokyo", "UTC"])
def test_any_city_time_zone_is_read_alike_every_month(app_ctx, zone):
    app_ctx.config["TIMEZONE"] = zone
    for month in range(1, 13):
        starts = datetime(2027, month, 14, 16, tzinfo=UTC)
        ics = calendars.build_calendar(uid="forum-1", starts_at=starts, ends_at=starts + timedelta(hours=2),
                                       summary="Forum")
        expected = starts.astimezone(ZoneInfo(zone))
        for start in (_vobject_start(ics), _icalendar_start(ics)):
            assert start == starts and start.utcoffset() == expected.utcoffset(), (zone, month)


def test_a_published_file_names_its_organizer_and_keeps_one_uid_per_forum(app):
    app.config["CONTACT_EMAIL"] = "integration@exempelstad.se"
    client = app.test_client(use_cookies=False)
    with app.app_context():
        forum_id = factories.forum(days=30).id
    events = [Calendar.from_ical(client.get(f"/{lang}/forums/{forum_id}.ics").data).walk("VEVENT")[0]
              for lang in ("en", "ar", "en")]
    assert {str(event["UID"]) for event in events} == {f"forum-{forum_id}@localhost"}
    for event in events:
        assert str(event["ORGANIZER"]) == "mailto:integration@exempelstad.se"
        assert event["ORGANIZER"].params["CN"] == "Integrationsenheten, Exempelstad"
        assert event["SEQUENCE"] == 0
    vevent = vobject.readOne(client.get(f"/en/forums/{forum_id}.ics").get_data(as_text=True)).vevent
    assert vevent.organizer.value == "mailto:integration@exempelstad.se"


def test_a_moved_forum_keeps_its_uid_with_a_higher_sequence(app_ctx):
    forum = factories.forum(days=30)
    first = Calendar.from_ical(forum_calendar(forum, "sv")).walk("VEVENT")[0]
    forum.starts_at += timedelta(days=7)
    forum.ends_at += timedelta(days=7)
    forum.calendar_sequence = 1  # as services.save_forum raises it when a published forum moves
    moved = vobject.readOne(forum_calendar(forum, "sv").decode()).vevent
    assert moved.uid.value == str(first["UID"])
    assert int(moved.sequence.value) == first["SEQUENCE"] + 1
    assert moved.dtstart.value == forum.starts_at


def test_the_forums_calendar_lists_the_coming_public_forums_to_subscribe_to(app):
    client = app.test_client(use_cookies=False)
    with app.app_context():
        coming = factories.forum(days=30).id
        cancelled = factories.forum(days=60, status=ForumStatus.CANCELLED).id
        draft = factories.forum(days=20, status=ForumStatus.DRAFT).id
        held = factories.forum(days=40, status=ForumStatus.PUBLISHED)
        held.starts_at, held.ends_at = held.starts_at - timedelta(days=80), held.ends_at - timedelta(days=80)
        held.status = ForumStatus.HELD
        db.session.commit()
        held = held.id
    response = client.get("/ar/forums.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "public, max-age=60" and not response.headers.getlist("Set-Cookie")
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["X-WR-CALNAME"]).endswith("· Exempelstad") and str(calendar["METHOD"]) == "PUBLISH"
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert list(events) == [f"forum-{coming}@localhost", f"forum-{cancelled}@localhost"]  # soonest first
    assert str(events[f"forum-{cancelled}@localhost"]["STATUS"]) == "CANCELLED"
    assert not {draft, held} & {int(uid.split("-")[1].split("@")[0]) for uid in events}
    # The same events as the forums' own files, read alike by vobject.
    assert [e.uid.value for e in vobject.readOne(response.get_data(as_text=True)).vevent_list] == list(events)
    with app.app_context():
        assert {str(e["UID"]) for e in Calendar.from_ical(forum_calendar(db.session.get(Forum, coming), "ar"))
                .walk("VEVENT")} == {f"forum-{coming}@localhost"}


def test_an_unchanged_forum_gives_the_same_file_stamped_when_it_last_changed(app, clock):
    clock("2027-01-10T12:00+01:00")
    client = app.test_client(use_cookies=False)
    with app.app_context():
        forum = factories.forum(days=30)
        forum_id, changed = forum.id, forum.updated_at
    first = client.get(f"/sv/forums/{forum_id}.ics")
    clock("2027-01-10T13:00+01:00")  # an hour later: a cache's copy is still current
    again = client.get(f"/sv/forums/{forum_id}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    [event] = Calendar.from_ical(first.data).walk("VEVENT")
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt == changed.replace(microsecond=0)
