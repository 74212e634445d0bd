"""Measures with a planned completion date: overdue marks, the official's own page, the reminder."""

from datetime import timedelta

from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.recommendations import services
from forum_app.recommendations.models import Recommendation, Status

from ..conftest import submit
from .test_tracker import _rec


def test_staff_set_a_planned_date_and_the_tracker_marks_the_measure_overdue(client, login, app):
    login("admin")
    with app.app_context():
        rec_id = _rec(Status.IN_PROGRESS).id
        past = city_today() - timedelta(days=3)
    response = submit(client, f"/sv/admin/recommendations/{rec_id}/assign",
                      {"assign-official_id": "0", "assign-responsible_role-sv": "Enhetschef",
                       "assign-due_on": past.isoformat()}, page=f"/sv/admin/recommendations/{rec_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Recommendation, rec_id).due_on == past
    for url, overdue in ((f"/en/recommendations/{rec_id}", "Overdue"), ("/en/recommendations/", "Overdue"),
                         (f"/ar/recommendations/{rec_id}", "متأخر"), ("/en/admin/recommendations/", "Overdue")):
        html = client.get(url).get_data(as_text=True)
        assert overdue in html, url
        assert "Planned to be done by" in html or url.startswith("/ar"), url
    [item] = client.get("/api/v1/recommendations").get_json()["items"]
    assert (item["due_on"], item["overdue"]) == (past.isoformat(), True)


def test_a_date_still_ahead_or_a_measure_done_is_not_overdue(app_ctx):
    today = city_today()
    ahead = _rec(Status.IN_PROGRESS, due_on=today + timedelta(days=1))
    done = _rec(Status.IMPLEMENTED, title={"sv": "Klar"}, due_on=today - timedelta(days=10))
    passed = _rec(Status.ACCEPTED, title={"sv": "Sen"}, due_on=today - timedelta(days=1))
    assert [r.is_overdue(today) for r in (ahead, done, passed)] == [False, False, True]


def test_an_invalid_date_is_refused_with_a_message_and_nothing_changes(client, login, app):
    login("admin")
    with app.app_context():
        rec_id = _rec(Status.ACCEPTED).id
    response = submit(client, f"/sv/admin/recommendations/{rec_id}/assign",
                      {"assign-official_id": "0", "assign-due_on": "snart"}, page=f"/sv/admin/recommendations/{rec_id}")
    assert response.status_code == 400
    assert "snart" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Recommendation, rec_id).due_on is None


def test_an_official_sees_their_own_measures_by_what_is_due_next(client, login, app):
    official = login("official", "karin@example.org")
    with app.app_context():
        today = city_today()
        _rec(Status.IN_PROGRESS, title={"sv": "Utan datum"}, responsible_official_id=official.id)
        _rec(Status.ACCEPTED, title={"sv": "Om en månad"}, responsible_official_id=official.id,
             due_on=today + timedelta(days=30))
        _rec(Status.IN_PROGRESS, title={"sv": "Försenad"}, responsible_official_id=official.id,
             due_on=today - timedelta(days=2))
        _rec(Status.IMPLEMENTED, title={"sv": "Klar"}, responsible_official_id=official.id,
             due_on=today - timedelta(days=60))
        _rec(Status.IN_PROGRESS, title={"sv": "Någon annans"}, due_on=today)
    html = client.get("/sv/admin/recommendations/mine").get_data(as_text=True)
    order = [html.index(title) for title in ("Försenad", "Om en månad", "Utan datum", "Klar")]
    assert order == sorted(order)
    assert "Någon annans" not in html
    assert html.count("badge-danger") == 1
    assert "/sv/admin/recommendations/mine" in client.get("/sv/admin/").get_data(as_text=True)


def test_the_page_of_own_measures_is_for_officials(client, login):
    login("coreteam")
    assert client.get("/sv/admin/recommendations/mine").status_code == 403


def test_the_reminder_fires_once_when_the_planned_date_passes_and_again_for_a_new_date(app, make_user, smtp):
    official = make_user("karin@example.org", "official")
    with app.app_context():
        rec = _rec(Status.ACCEPTED, responsible_official_id=official.id, due_on=city_today())
        assert services.remind_silent_measures() == 0  # due today: not yet passed
        rec.due_on = city_today() - timedelta(days=1)
        db.session.commit()
        assert services.remind_silent_measures() == 1
        assert services.remind_silent_measures() == 0
        rec = db.session.get(Recommendation, rec.id)
        rec.due_on = city_today() - timedelta(days=2)  # staff set another date, and it passed as well
        db.session.commit()
        assert services.remind_silent_measures() == 1
    messages = smtp.to("karin@example.org")
    assert len(messages) == 2
    assert all("Det planerade datumet har passerat" in m["Subject"] for m in messages)  # in her language
