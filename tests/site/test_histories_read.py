"""Every history, on staff pages, in the audit log and on the public tracker, reads in words: a label
per field in the reader's language, values as the page shows them (a time in the city's time zone, a
name instead of an id), never a column name or a raw ISO time."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from forum_app.accounts import services as accounts
from forum_app.accounts.models import Department, User
from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.coreteam import services as coreteam
from forum_app.coreteam.models import CoreTeamMember
from forum_app.i18n import LANGUAGES
from forum_app.newsletter import services as newsletter
from forum_app.planning import services as planning
from forum_app.recommendations import services as recommendations
from forum_app.recommendations.models import Status
from forum_app.web import history

from .. import factories

ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")
COLUMN_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # responsible_official_id, starts_at, due_on …


def _a_year_of_changes(admin_id: int) -> dict:
    """Changes of every kind the pages show a history of, made through the services staff use."""
    admin = db.session.get(User, admin_id)
    department = Department(name={"sv": "Arbetsmarknadsförvaltningen", "en": "Employment department"})
    db.session.add(department)
    db.session.commit()
    official = accounts.create_user("karin@example.org", "official", "correct horse battery", name="Karin Lind")
    accounts.update_user(official, department_id=department.id, language="ar")
    forum = factories.forum(days=30)
    # Typed as 17:00 and then 18:00 Stockholm time: the history says 17:00 → 18:00, not UTC.
    planning.save_forum(forum, partner_ids=[], starts_at=datetime(2027, 3, 10, 16, tzinfo=timezone.utc),
                        ends_at=datetime(2027, 3, 10, 19, tzinfo=timezone.utc), capacity=80,
                        interpretation_languages=["ar", "so"])
    planning.save_forum(forum, partner_ids=[], starts_at=datetime(2027, 3, 10, 17, tzinfo=timezone.utc))
    member = CoreTeamMember(name="Dawit Tesfay", term_start=city_today() - timedelta(days=30),
                            term_end=city_today() + timedelta(days=300))
    db.session.add(member)
    db.session.commit()
    coreteam.save_member(member, term_end=city_today() + timedelta(days=200), tasks=["mobilise"], languages=["ti"])
    meeting = coreteam.save_meeting(None, starts_at=datetime(2027, 1, 20, 17, tzinfo=timezone.utc),
                                    ends_at=datetime(2027, 1, 20, 19, tzinfo=timezone.utc), attendees=[],
                                    title="Möte i januari", place="Stadshuset")
    coreteam.save_meeting(meeting, starts_at=datetime(2027, 1, 21, 17, tzinfo=timezone.utc),
                          ends_at=datetime(2027, 1, 21, 19, tzinfo=timezone.utc), attendees=[],
                          title="Möte i januari", place="Biblioteket")
    recommendation = recommendations.create(admin, topic_id=forum.topic_id, forum_ids=[forum.id],
                                            department_ids=[department.id], title={"sv": "Praktikplatser"},
                                            text={"sv": "Kommunen erbjuder praktik."}, within_competence=True,
                                            route={})
    recommendations.change_status(admin, recommendation, Status.AGREED, note="Enig")
    recommendations.record_presentation(admin, presented_on=city_today() - timedelta(days=3), body="Kommunstyrelsen",
                                        recommendation_ids=[recommendation.id], member_ids=[member.id],
                                        official_ids=[official.id])
    recommendations.change_status(admin, recommendation, Status.ACCEPTED)
    recommendations.assign(admin, recommendation, official_id=official.id, responsible_role={"sv": "Enhetschef"},
                           due_on=date(2027, 6, 30))
    recommendations.post_update(admin, recommendation, on=city_today(), text={"sv": "Tio platser klara."},
                                to=Status.IN_PROGRESS, due_on=date(2027, 9, 30))
    issue = newsletter.create_issue({"sv": "Nyhetsbrev mars"}, date(2027, 1, 1), date(2027, 3, 1))
    newsletter.schedule(issue, datetime(2027, 3, 20, 8, tzinfo=timezone.utc), accept_missing=LANGUAGES)
    return {"forum": forum.id, "member": member.id, "meeting": meeting.id, "recommendation": recommendation.id,
            "user": official.id, "issue": issue.id, "topic": forum.topic_id}


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return re.sub(r"<[^>]+>", " ", html[start:end])


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_every_history_reads_in_words(client, login, app, lang):
    admin = login("admin")
    with app.app_context():
        ids = _a_year_of_changes(admin.id)
        fields = {name for event in db.session.scalars(select(AuditEvent)) for name in (event.changes or {})}
    pages = {f"/{lang}/admin/forums/{ids['forum']}": "history-heading",
             f"/{lang}/admin/topics/{ids['topic']}": "history-heading",
             f"/{lang}/admin/core-team/members/{ids['member']}": "history-heading",
             f"/{lang}/admin/core-team/meetings/{ids['meeting']}": "history-heading",
             f"/{lang}/admin/recommendations/{ids['recommendation']}": "history-heading",
             f"/{lang}/admin/users/{ids['user']}": "history-heading",
             f"/{lang}/admin/newsletter/{ids['issue']}": "history-heading",
             f"/{lang}/recommendations/{ids['recommendation']}": "timeline-heading"}
    for url, heading in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert html.count('class="history"') == 1, f"{url} has more than one history"
        text = _section(html, heading)
        assert not ISO_TIME.search(text), f"{url}: {ISO_TIME.search(text).group()} in {text}"
        names = [n for n in COLUMN_NAME.findall(text) if n in fields]
        assert not names, f"{url} shows column names {names}"
    log = client.get(f"/{lang}/admin/audit/").get_data(as_text=True)
    table = re.sub(r"<[^>]+>", " ", log[log.index("<tbody>"):log.index("</tbody>")])
    assert not ISO_TIME.search(table) and not [n for n in COLUMN_NAME.findall(table) if n in fields]

    forum_page = client.get(f"/sv/admin/forums/{ids['forum']}").get_data(as_text=True)
    assert "10 mars 2027 17:00 → 10 mars 2027 18:00" in re.sub(r"\s+", " ", re.sub(
        r"<[^>]+>", "", _section(forum_page, "history-heading"))).replace(",", "")
    staff = _section(client.get(f"/sv/admin/recommendations/{ids['recommendation']}").get_data(as_text=True),
                     "history-heading")
    assert "Karin Lind" in staff and "Enig" in staff  # a name, not an id; the note with its status


def test_every_audited_field_has_words(client, login, app):
    admin = login("admin")
    with app.app_context():
        _a_year_of_changes(admin.id)
        missing = sorted({(e.object_type, name) for e in db.session.scalars(select(AuditEvent))
                          for name in (e.changes or {}) if not history.described(e.object_type, name)})
    assert missing == []


def test_a_double_submit_reads_once(app):
    with app.test_request_context("/sv/"):
        at = datetime(2027, 1, 1, 12, tzinfo=timezone.utc)
        same = [AuditEvent(id=i, at=at, action="updated", object_type="Forum", object_id=1,
                           changes={"capacity": [80, 90]}) for i in (1, 2)]
        rows = history.entries(same)
        assert len(rows) == 1 and rows[0].changes[0].after == "90"
