"""Times on the two nights the clocks change (Europe/Stockholm, 2027): a time the clocks skip is refused,
naming it and the change; a time that comes twice is asked about, summer or winter time, and saved as
chosen. Every staff form's times are one field (``formtools.CityDateTimeField``)."""

from datetime import datetime, timezone

from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.planning.models import Forum

from .. import factories
from ..conftest import submit
from .test_forums import _forum_form

SPRING, AUTUMN = "2027-03-28", "2027-10-31"


def _forums() -> int:
    return db.session.scalar(select(func.count()).select_from(Forum))


def test_a_time_the_clocks_skip_is_refused_in_words_and_nothing_is_saved(client, login, app):
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    for lang, words in (
            ("en", "02:30 on 28 March 2027 does not exist in Stockholm time: "
                   "the clocks go forward from 02:00 to 03:00."),
            ("sv", "02:30 den 28 mars 2027 finns inte på klockan i Stockholm: "
                   "klockan ställs fram från 02:00 till 03:00.")):
        response = submit(client, f"/{lang}/admin/forums/new",
                          _forum_form(topic_id, starts_at=f"{SPRING}T02:30", ends_at=f"{SPRING}T05:00"))
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert words in html
        assert f'value="{SPRING}T02:30"' in html  # what was typed stays
    with app.app_context():
        assert _forums() == 0


def test_half_past_two_to_a_quarter_past_three_that_night_is_refused_for_the_skipped_time_only(client, login, app):
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    response = submit(client, "/en/admin/forums/new",
                      _forum_form(topic_id, starts_at=f"{SPRING}T02:30", ends_at=f"{SPRING}T03:15"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "does not exist in Stockholm time" in html and "must end after it starts" not in html
    # Just after the change the hour is there again, and 03:00–03:15 is a quarter of an hour.
    response = submit(client, "/en/admin/forums/new",
                      _forum_form(topic_id, starts_at=f"{SPRING}T03:00", ends_at=f"{SPRING}T03:15"))
    assert response.status_code == 302
    with app.app_context():
        forum = db.session.scalar(select(Forum))
        assert forum.starts_at == datetime(2027, 3, 28, 1, 0, tzinfo=timezone.utc)


def test_a_time_that_comes_twice_is_asked_about_and_saved_as_chosen(client, login, app):
    login("admin")
    with app.app_context():
        topic_id = factories.topic().id
    form = _forum_form(topic_id, starts_at=f"{AUTUMN}T02:30", ends_at=f"{AUTUMN}T04:00")
    response = submit(client, "/en/admin/forums/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert ("02:30 on 31 October 2027 comes twice in Stockholm time: the clocks go back from 03:00 to 02:00. "
            "Choose which one you mean.") in html
    assert "Which 02:30 do you mean?" in html
    assert "The first 02:30, in summer time (UTC+2)" in html and "The second 02:30, in winter time (UTC+1)" in html
    assert 'name="ends_at-fold"' not in html  # 04:00 comes once: nothing to ask
    with app.app_context():
        assert _forums() == 0

    response = submit(client, "/en/admin/forums/new", {**form, "starts_at-fold": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        forum = db.session.scalar(select(Forum))
        assert forum.starts_at == datetime(2027, 10, 31, 1, 30, tzinfo=timezone.utc)  # 02:30 winter time
        assert forum.ends_at == datetime(2027, 10, 31, 3, 0, tzinfo=timezone.utc)
        forum_id = forum.id
    # The forum's form shows the choice that was saved, and saving it again keeps it.
    edit = client.get(f"/en/admin/forums/{forum_id}/edit").get_data(as_text=True)
    assert 'id="starts_at-fold-1" name="starts_at-fold" value="1" checked' in edit
    assert 'id="starts_at-fold-0" name="starts_at-fold" value="0">' in edit

    response = submit(client, f"/en/admin/forums/{forum_id}/edit", {**form, "starts_at-fold": "0"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Forum, forum_id).starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc)


def test_a_core_team_meeting_at_a_skipped_time_is_refused_too(client, login, app):
    login("admin")
    response = submit(client, "/en/admin/core-team/meetings/new",
                      {"title": "Night meeting", "starts_at": f"{SPRING}T02:15", "ends_at": f"{SPRING}T04:00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "02:15 on 28 March 2027 does not exist in Stockholm time" in html
