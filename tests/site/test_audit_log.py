"""The audit log staff can read (``/<lang>/admin/audit/``) and each object's history on its page."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from forum_app.accounts.models import User
from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import city_today, utc_to_local
from forum_app.coreteam import services as coreteam


def _events(app, count: int, *, user_email: str | None = None, at=None) -> None:  # noqa: ANN001
    with app.app_context():
        user = User.by_email(user_email) if user_email else None
        for n in range(count):
            start = utcnow() + timedelta(days=1)
            meeting = coreteam.save_meeting(None, starts_at=start, ends_at=start + timedelta(hours=1), attendees=[],
                                            title=f"Möte {n}")
            if user is not None or at is not None:
                event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_id == meeting.id,
                                                                   AuditEvent.object_type == "Meeting"))
                event.user_id = user.id if user else None
                event.at = at or event.at
                db.session.commit()


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr><td>.*?</tr>", html, flags=re.S)


def test_the_log_lists_changes_newest_first_with_before_and_after(app, client, login):
    admin = login("admin")
    _events(app, 1, user_email=admin.email)
    with app.app_context():
        meeting_id = db.session.scalar(select(AuditEvent.object_id).where(AuditEvent.object_type == "Meeting"))
        from forum_app.coreteam.models import Meeting

        meeting = db.session.get(Meeting, meeting_id)
        start = meeting.starts_at
        coreteam.save_meeting(meeting, starts_at=start, ends_at=meeting.ends_at, attendees=[], title="Nytt namn")
    html = client.get("/en/admin/audit/").get_data(as_text=True)
    rows = _rows(html)
    assert "Changed" in rows[0] and "Möte 0 → Nytt namn" in rows[0].replace("</span> → <span dir=\"auto\">", " → ") \
        .replace('<span dir="auto">', "").replace("</span>", "")
    assert "Created" in rows[1] and "Meeting #" in rows[1]
    assert "Logged in" in html  # logins are events too
    # the meeting's own page shows the same history
    page = client.get(f"/en/admin/core-team/meetings/{meeting_id}").get_data(as_text=True)
    assert "History" in page and "Nytt namn" in page


def test_filters_by_person_kind_action_and_date(app, client, login):
    admin = login("admin")
    _events(app, 2, user_email=admin.email)
    old_at = utcnow() - timedelta(days=40)
    _events(app, 3, at=old_at)
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.email == admin.email))
        old_day = utc_to_local(old_at).date().isoformat()  # the city's day, as staff type it
        today = city_today().isoformat()
    by_person = _rows(client.get(f"/en/admin/audit/?user={admin_id}&kind=Meeting").get_data(as_text=True))
    assert len(by_person) == 2
    created = _rows(client.get("/en/admin/audit/?kind=Meeting&action=created").get_data(as_text=True))
    assert len(created) == 5
    old = _rows(client.get(f"/en/admin/audit/?kind=Meeting&from={old_day}&to={old_day}").get_data(as_text=True))
    assert len(old) == 3
    recent = _rows(client.get(f"/en/admin/audit/?kind=Meeting&from={today}")
                   .get_data(as_text=True))
    assert len(recent) == 2
    wrong = client.get("/en/admin/audit/?from=31.02.2026&user=abc")
    assert wrong.status_code == 200
    html = wrong.get_data(as_text=True)
    assert "Write a date like" in html and 'value="31.02.2026"' in html


def test_pages_cost_the_same_number_of_queries(app, client, login, count_queries):
    admin = login("admin")
    _events(app, 3, user_email=admin.email)
    with count_queries() as few:
        assert client.get("/en/admin/audit/?kind=Meeting").status_code == 200
    _events(app, 117, user_email=admin.email)
    with count_queries() as many:
        html = client.get("/en/admin/audit/?kind=Meeting").get_data(as_text=True)
    assert len(_rows(html)) == 50 and "Page 1 of 3" in html
    assert many() == few()
    last = client.get("/en/admin/audit/?kind=Meeting&page=3").get_data(as_text=True)
    assert len(_rows(last)) == 20 and "Möte 0" in last


def test_only_who_may_see_the_log_sees_it(client, login):
    login("coreteam")
    assert client.get("/en/admin/audit/").status_code == 403


def test_each_objects_staff_page_shows_its_history(app, client, demo):
    from forum_app.coreteam.models import CoreTeamMember, Meeting
    from forum_app.newsletter.models import Issue
    from forum_app.planning.models import Forum, Topic
    from forum_app.recommendations.models import Recommendation

    from ..conftest import submit

    assert submit(client, "/sv/login", {"email": "admin@example.org", "password": "demo-password-2027"}
                  ).status_code == 302
    pages = {"Forum": "/en/admin/forums/{}", "Topic": "/en/admin/topics/{}", "User": "/en/admin/users/{}",
             "Recommendation": "/en/admin/recommendations/{}", "CoreTeamMember": "/en/admin/core-team/members/{}",
             "Meeting": "/en/admin/core-team/meetings/{}", "Issue": "/en/admin/newsletter/{}"}
    models = {"Forum": Forum, "Topic": Topic, "User": User, "Recommendation": Recommendation,
              "CoreTeamMember": CoreTeamMember, "Meeting": Meeting, "Issue": Issue}
    with app.app_context():
        ids = {kind: db.session.scalar(select(func.min(model.id))) for kind, model in models.items()}
        field = {"Forum": "hook", "User": "name", "CoreTeamMember": "name"}  # a text field each kind audits
        for kind, object_id in ids.items():  # one event each, written as a service would
            db.session.add(AuditEvent(action="updated", object_type=kind, object_id=object_id,
                                      changes={field.get(kind, "title"): ["before-" + kind, "after-" + kind]}))
        db.session.commit()
    for kind, url in pages.items():
        html = client.get(url.format(ids[kind])).get_data(as_text=True)
        assert 'id="history-heading"' in html, kind
        assert f"before-{kind}" in html and f"after-{kind}" in html, kind


def test_every_action_the_code_records_has_a_label():
    import re
    from pathlib import Path

    from forum_app.core.audit import ACTION_LABELS

    package = Path(__file__).resolve().parents[2] / "forum_app"
    recorded = set()
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'audit\.record\(\s*"([a-z_]+)"', source))
        recorded |= {name for pair in re.findall(r'audit\.record\(\s*"([a-z_]+)" if .*? else "([a-z_]+)"', source)
                     for name in pair}
    assert len(recorded) > 20
    assert sorted(recorded - set(ACTION_LABELS)) == []


def test_the_check_by_construction_catches_a_staff_change_without_an_event(app, client, login,
                                                                            every_staff_change_is_audited):
    from forum_app.coreteam.models import Meeting
    from forum_app.web.access import staff_required

    @staff_required("manage_meetings")
    def rename_quietly(meeting_id: int):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.title = "Renamed without a trace"
        db.session.commit()
        return "done"

    app.add_url_rule("/<lang:lang>/admin/test-quiet/<int:meeting_id>", "quiet", rename_quietly, methods=["POST"])
    app.config["WTF_CSRF_ENABLED"] = False
    login("admin")
    _events(app, 1)
    with app.app_context():
        meeting_id = db.session.scalar(select(func.min(Meeting.id)))
    assert client.post(f"/sv/admin/test-quiet/{meeting_id}").status_code == 200
    assert every_staff_change_is_audited.missing == [(f"POST /sv/admin/test-quiet/{meeting_id}", ["Meeting"])]
    every_staff_change_is_audited.missing.clear()  # seen; the fixture's own check stays for the rest
