"""The forum's format: an evening meeting after 18:00 (advice for staff), or a full day with a side programme
shown on the invitation, the poster and the calendar file."""

from datetime import datetime, timedelta

from forum_app.core.extensions import db
from forum_app.core.timeutil import local_to_utc
from forum_app.planning.models import Forum, ForumFormat, SideEvent

from .. import factories
from ..conftest import submit


def _forum_at(app, hour: int, fmt: ForumFormat, hours: int = 3) -> int:
    with app.app_context():
        forum = factories.forum(format=fmt)
        day = (datetime.now() + timedelta(days=20)).date()
        forum.starts_at = local_to_utc(datetime.combine(day, datetime.min.time()).replace(hour=hour))
        forum.ends_at = forum.starts_at + timedelta(hours=hours)
        db.session.commit()
        return forum.id


def test_an_evening_meeting_before_18_gets_advice_for_staff_only(client, login, app):
    early = _forum_at(app, 16, ForumFormat.EVENING)
    login("admin")
    assert "starts before 18:00" in client.get(f"/en/admin/forums/{early}").get_data(as_text=True)
    assert "starts before 18:00" not in client.get(f"/en/forums/{early}").get_data(as_text=True)
    with app.app_context():
        late = _forum_at(app, 18, ForumFormat.EVENING)
        day = _forum_at(app, 10, ForumFormat.FULL_DAY, hours=7)
    for forum_id in (late, day):
        assert "starts before 18:00" not in client.get(f"/en/admin/forums/{forum_id}").get_data(as_text=True)


def test_saving_an_early_evening_meeting_is_allowed_with_a_warning(client, login, app):
    from .test_forums import _forum_form

    with app.app_context():
        topic_id = factories.topic().id
    login("admin")
    response = submit(client, "/en/admin/forums/new", _forum_form(topic_id, starts_at="2027-02-10T16:30"),
                      follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The forum is saved." in html and "starts before 18:00" in html
    response = submit(client, "/en/admin/forums/new", _forum_form(topic_id), follow_redirects=True)
    assert "starts before 18:00" not in response.get_data(as_text=True)


def test_staff_build_a_side_programme_shown_on_the_invitation_poster_and_calendar(client, login, app):
    forum_id = _forum_at(app, 10, ForumFormat.FULL_DAY, hours=7)
    login("admin")
    page = f"/sv/admin/forums/{forum_id}/programme"
    response = submit(client, page, {"time": "12:30", "title-sv": "Lunch med musik", "title-ar": "غداء مع موسيقى",
                                     "text-sv": "Föreningen spelar."})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        item = db.session.query(SideEvent).one()
        assert item.starts_at == db.session.get(Forum, forum_id).starts_at + timedelta(hours=2, minutes=30)
    ar = client.get(f"/ar/forums/{forum_id}").get_data(as_text=True)
    assert "غداء مع موسيقى" in ar and "12:30" in ar
    poster = client.get(f"/sv/forums/{forum_id}/poster").get_data(as_text=True)
    assert "Lunch med musik" in poster and "12:30" in poster
    ics = client.get(f"/sv/forums/{forum_id}.ics").get_data(as_text=True).replace("\r\n ", "")
    assert "12:30 Lunch med musik: Föreningen spelar." in ics


def test_an_item_outside_the_day_or_on_an_evening_forum_is_refused_with_a_message(client, login, app):
    day = _forum_at(app, 10, ForumFormat.FULL_DAY, hours=7)
    evening = _forum_at(app, 18, ForumFormat.EVENING)
    login("admin")
    response = submit(client, f"/en/admin/forums/{day}/programme", {"time": "22:00", "title-sv": "Sent"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "must start while the forum is on" in html and 'value="Sent"' in html
    response = submit(client, f"/en/admin/forums/{evening}/programme", {"time": "19:00", "title-sv": "Mat"})
    assert response.status_code == 400 and "belongs to a full-day forum" in response.get_data(as_text=True)
    response = submit(client, f"/en/admin/forums/{day}/programme", {"time": "kl tolv", "title-sv": "Mat"})
    assert response.status_code == 400 and 'value="kl tolv"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SideEvent).count() == 0


def test_removing_an_item_and_an_evening_forum_shows_no_programme(client, login, app):
    forum_id = _forum_at(app, 10, ForumFormat.FULL_DAY, hours=7)
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        forum.side_programme = [SideEvent(starts_at=forum.starts_at + timedelta(hours=1), title={"sv": "Fika"})]
        db.session.commit()
    assert "Fika" in client.get(f"/sv/forums/{forum_id}").get_data(as_text=True)
    with app.app_context():
        db.session.get(Forum, forum_id).format = ForumFormat.EVENING
        db.session.commit()
    assert "Fika" not in client.get(f"/sv/forums/{forum_id}").get_data(as_text=True)
    login("admin")
    response = submit(client, f"/sv/admin/forums/{forum_id}/programme/1/delete", {},
                      page=f"/sv/admin/forums/{forum_id}/programme")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(SideEvent).count() == 0
