"""An official's measure has one update form (progress, optionally a new status and a new date), and a
joint presentation is recorded in one step: each reads as one event in the history and on the tracker."""

import re
from datetime import timedelta

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.recommendations.models import Presentation, Recommendation, Status

from ..conftest import submit


def _today(app):  # noqa: ANN001, ANN202
    with app.app_context():
        return city_today()
from .test_hand_on_and_presentations import _people
from .test_tracker import _rec


def _official_measure(app, make_user) -> tuple[int, str]:
    official = make_user("karin@example.org", "official")
    with app.app_context():
        rec = _rec(Status.ACCEPTED, title={"sv": "Praktikplatser", "ar": "أماكن تدريب"},
                   responsible_official_id=official.id, due_on=city_today() + timedelta(days=30))
        return rec.id, official.email


def test_one_form_records_progress_a_new_status_and_a_new_date_as_one_event(client, app, make_user):
    rec_id, email = _official_measure(app, make_user)
    assert submit(client, "/sv/login", {"email": email, "password": "correct horse battery"}).status_code == 302
    page = f"/sv/admin/recommendations/{rec_id}"
    html = client.get(page).get_data(as_text=True)
    assert html.count("<form") - html.count('action="/sv/logout"') >= 1
    assert 'action="/sv/admin/recommendations/%d/status"' % rec_id not in html  # no second status form
    assert "<details class=\"translations\"" in html  # the other languages are folded away
    today = _today(app)
    new_date = today + timedelta(days=90)
    response = submit(client, f"{page}/progress", {
        "progress-on": today.isoformat(), "progress-text-sv": "Tio platser klara.",
        "progress-to": "in_progress", "progress-due_on": new_date.isoformat()}, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        rec = db.session.get(Recommendation, rec_id)
        assert (rec.status, rec.due_on, len(rec.updates)) == (Status.IN_PROGRESS, new_date, 1)
    staff = client.get(page).get_data(as_text=True)
    assert staff.count(">Historik<") == 1
    history = staff[staff.index('id="history-heading"'):]
    assert history.count("Lägesrapport") == 1 and "Pågår" in history and "Tio platser klara." in history
    assert "due_on" not in history and "Planerat klardatum" in history
    public = client.get(f"/ar/recommendations/{rec_id}").get_data(as_text=True)
    timeline = public[public.index('id="timeline-heading"'):]
    assert timeline.count("Tio platser klara.") == 1  # the update and its status change are one entry
    assert re.search(r'<span lang="sv" dir="ltr">Tio platser klara\.</span>', timeline)  # fallback marked


def test_an_update_that_cannot_move_the_status_saves_nothing_and_keeps_what_was_typed(client, app, make_user):
    rec_id, email = _official_measure(app, make_user)
    submit(client, "/sv/login", {"email": email, "password": "correct horse battery"})
    page = f"/sv/admin/recommendations/{rec_id}"
    today = _today(app)
    submit(client, f"{page}/progress", {"progress-on": today.isoformat(), "progress-text-sv": "Start.",
                                        "progress-to": "in_progress"}, page=page)
    refused = submit(client, f"{page}/progress", {"progress-on": today.isoformat(),
                                                  "progress-text-sv": "Alla platser tillsatta.",
                                                  "progress-to": "implemented"}, page=page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Beskriv vad som gjordes" in html and "Alla platser tillsatta." in html
    with app.app_context():
        rec = db.session.get(Recommendation, rec_id)
        assert rec.status is Status.IN_PROGRESS and len(rec.updates) == 1


def test_the_officials_page_lists_their_measures_and_what_is_overdue(client, app, make_user):
    official = make_user("eva@example.org", "official")
    with app.app_context():
        _rec(Status.ACCEPTED, title={"sv": "Sen åtgärd"}, responsible_official_id=official.id,
             due_on=city_today() - timedelta(days=3))
        _rec(Status.ACCEPTED, title={"sv": "Kommande åtgärd"}, responsible_official_id=official.id,
             due_on=city_today() + timedelta(days=30))
        _rec(Status.ACCEPTED, title={"sv": "Någon annans"}, due_on=city_today() - timedelta(days=3))
    submit(client, "/sv/login", {"email": official.email, "password": "correct horse battery"})
    html = client.get("/sv/admin/recommendations/mine").get_data(as_text=True)
    assert "Sen åtgärd" in html and "Kommande åtgärd" in html and "Någon annans" not in html
    overdue = html[html.index('id="overdue-heading"'):html.index('id="all-heading"')]
    assert "Sen åtgärd" in overdue and "Kommande åtgärd" not in overdue


def _present(client, rec_ids, member_ids, official_ids, on, body="Kommunstyrelsen"):  # noqa: ANN001
    data = {"presented_on": on.isoformat(), "body": body,
            "recommendation_ids": [str(i) for i in rec_ids]}
    if member_ids:
        data["member_ids"] = [str(i) for i in member_ids]
    if official_ids:
        data["official_ids"] = [str(i) for i in official_ids]
    return submit(client, "/en/admin/presentations/", data)


def test_recording_a_joint_presentation_sets_the_status_once_and_the_timeline_says_it_once(client, login, app):
    _rec_id, member_ids, official_id = _people(app)
    with app.app_context():
        agreed = _rec(Status.AGREED, title={"sv": "Tolk vid varje möte", "en": "An interpreter at every meeting"}).id
    login("admin")
    on = _today(app) - timedelta(days=2)
    assert _present(client, [agreed], member_ids[:1], [official_id], on).status_code == 302
    with app.app_context():
        rec = db.session.get(Recommendation, agreed)
        assert (rec.status, rec.presented_on, rec.presented_to) == (Status.PRESENTED, on, "Kommunstyrelsen")
        assert [c.to_status for c in rec.changes] == [Status.AGREED, Status.PRESENTED]
    public = client.get(f"/en/recommendations/{agreed}").get_data(as_text=True)
    assert "Agreed by the core team" not in public[:public.index('id="timeline-heading"')]
    timeline = public[public.index('id="timeline-heading"'):]
    assert timeline.count("Presented") == 1


def test_a_presentation_without_the_core_team_or_an_official_or_given_twice_is_refused(client, login, app):
    rec_id, member_ids, official_id = _people(app)
    login("admin")
    on = _today(app) - timedelta(days=2)
    alone = _present(client, [rec_id], [], [official_id], on)
    assert alone.status_code == 400 and "at least one member of the core team" in alone.get_data(as_text=True)
    without = _present(client, [rec_id], member_ids, [], on)
    assert without.status_code == 400 and "at least one official" in without.get_data(as_text=True)
    assert _present(client, [rec_id], member_ids, [official_id], on).status_code == 302
    twice = _present(client, [rec_id], member_ids, [official_id], on, body="kommunstyrelsen")
    assert twice.status_code == 400 and "already recorded as presented" in twice.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Presentation)).all()) == 1
        assert db.session.scalar(select(User.id).where(User.id == official_id))
