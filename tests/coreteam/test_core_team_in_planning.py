"""The core team's part in the year, as the chapter has it: it reads the plan and agrees each topic's
mandate; officials at its meetings are marked present and read the notes; invitations and attendance
follow the terms and the calendar; the volunteer list counts forums people really came to."""

from datetime import timedelta

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import city_today, local_naive
from forum_app.coreteam import services
from forum_app.coreteam.models import CoreTeamMember, Meeting, Volunteer
from forum_app.planning.models import ForumStatus, Topic
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import submit


def _today(app):  # noqa: ANN001, ANN202
    with app.app_context():
        return city_today()


def test_the_core_team_reads_the_plan_and_records_its_agreement_per_topic(client, login, app):
    with app.app_context():
        topic = factories.topic(year=city_today().year + 1, title="Skolan och föräldrarna")
        topic_id, year = topic.id, topic.year
    login("coreteam")
    listing = client.get(f"/sv/admin/topics/?year={year}").get_data(as_text=True)
    assert "Skolan och föräldrarna" in listing and "Ny fråga" not in listing
    page = f"/sv/admin/topics/{topic_id}"
    html = client.get(page).get_data(as_text=True)
    assert "Fråga 1?" in html and 'name="title-sv"' not in html  # read, not edit
    assert submit(client, page, {"title-sv": "Ändrad"}).status_code == 403
    tomorrow = _today(app) + timedelta(days=1)
    refused = submit(client, f"{page}/agreement", {"agreement-agreed_on": tomorrow.isoformat(),
                                                   "agreement-note": "Lägg till kvällskurser."}, page=page)
    assert refused.status_code == 400 and "Lägg till kvällskurser." in refused.get_data(as_text=True)
    agreed = _today(app) - timedelta(days=2)
    assert submit(client, f"{page}/agreement", {"agreement-agreed_on": agreed.isoformat(),
                                                "agreement-note": "Lägg till kvällskurser."},
                  page=page).status_code == 302
    with app.app_context():
        topic = db.session.get(Topic, topic_id)
        assert (topic.core_team_agreed_on, topic.core_team_agreement) == (agreed, "Lägg till kvällskurser.")
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Topic")
                                   .order_by(AuditEvent.id.desc())).first()
        assert event.user_id is not None and "core_team_agreed_on" in event.changes
    html = client.get(page).get_data(as_text=True)
    assert agreed.strftime("%Y") in html and "Lägg till kvällskurser." in html
    public = client.get(f"/en/topics/?year={year}").get_data(as_text=True)
    assert "Agreed with the core team on" in public


def _meeting(days: int, officials=(), title="Möte med förvaltningen") -> int:  # noqa: ANN001
    start = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    meeting = Meeting(title=title, starts_at=start, ends_at=start + timedelta(hours=2), notes="Vi enades om ett utkast.",
                      officials=list(officials))
    db.session.add(meeting)
    db.session.commit()
    return meeting.id


def test_an_invited_official_is_marked_present_and_reads_the_notes(client, login, app, make_user):
    official = make_user("karin@example.org", "official")
    other = make_user("per@example.org", "official")
    with app.app_context():
        invited = _meeting(-3, [db.session.get(User, official.id)])
        not_invited = _meeting(-3, title="Ett annat möte")
    login("admin")
    page = f"/sv/admin/core-team/meetings/{invited}/edit"
    with app.app_context():
        starts = db.session.get(Meeting, invited).starts_at
        local_start, local_end = local_naive(starts), local_naive(starts + timedelta(hours=2))
    response = submit(client, page, {"title": "Möte med förvaltningen", "starts_at": local_start.strftime("%Y-%m-%dT%H:%M"),
                                     "ends_at": local_end.strftime("%Y-%m-%dT%H:%M"), "notes": "Vi enades om ett utkast.",
                                     "official_ids": [str(official.id)], "present_official_ids": [str(official.id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert [u.id for u in db.session.get(Meeting, invited).officials_present] == [official.id]
    official_client = app.test_client()  # the official's own browser
    submit(official_client, "/sv/login", {"email": official.email, "password": "correct horse battery"})
    record = official_client.get(f"/sv/admin/core-team/meetings/{invited}")
    assert record.status_code == 200 and "Vi enades om ett utkast." in record.get_data(as_text=True)
    assert official_client.get(f"/sv/admin/core-team/meetings/{not_invited}").status_code == 403
    assert "Möte med förvaltningen" in official_client.get("/sv/admin/").get_data(as_text=True)
    stranger = app.test_client()
    submit(stranger, "/sv/login", {"email": other.email, "password": "correct horse battery"})
    assert stranger.get(f"/sv/admin/core-team/meetings/{invited}").status_code == 403


def test_attendance_for_a_meeting_still_to_come_is_refused_and_nothing_is_saved(client, login, app):
    with app.app_context():
        today = city_today()
        member = CoreTeamMember(name="Hodan Ali", term_start=today - timedelta(days=10),
                                term_end=today + timedelta(days=300))
        db.session.add(member)
        db.session.commit()
        member_id = member.id
    login("admin")
    soon = today + timedelta(days=7)
    response = submit(client, "/sv/admin/core-team/meetings/new", {
        "title": "Nästa möte", "starts_at": f"{soon.isoformat()}T18:00", "ends_at": f"{soon.isoformat()}T20:00",
        "attendee_ids": [str(member_id)]})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nästa möte" in html
    with app.app_context():
        assert db.session.scalar(select(Meeting.id)) is None


def test_invitations_go_only_to_members_whose_term_covers_the_meeting(app, smtp):
    with app.app_context():
        today = city_today()
        db.session.add_all([
            CoreTeamMember(name="Nadia", email="nadia@example.org", term_start=today - timedelta(days=300),
                           term_end=today + timedelta(days=20)),
            CoreTeamMember(name="Yonas", email="yonas@example.org", term_start=today - timedelta(days=10),
                           term_end=today + timedelta(days=300))])
        db.session.commit()
        meeting = db.session.get(Meeting, _meeting(45))
        assert services.send_meeting_invitations(meeting) == 1
    assert smtp.to("yonas@example.org") and not smtp.to("nadia@example.org")


def test_forums_they_came_to_are_held_forums_with_a_registration_not_cancelled(client, login, app):
    with app.app_context():
        held = factories.forum(days=-10, status=ForumStatus.HELD, hook={"sv": "Forumet som hölls"})
        coming = factories.forum(days=10, hook={"sv": "Forumet som kommer"})
        cancelled_at = factories.forum(days=-20, status=ForumStatus.HELD, hook={"sv": "Avbokat forum"})
        for forum, status in ((held, RegistrationStatus.CONFIRMED), (coming, RegistrationStatus.CONFIRMED),
                              (cancelled_at, RegistrationStatus.CANCELLED)):
            db.session.add(Registration(forum_id=forum.id, name="Semhar", email="semhar@example.org",
                                        status=status))
        db.session.add(Volunteer(name="Semhar", email="semhar@example.org"))
        db.session.commit()
    login("admin")
    html = client.get("/sv/admin/core-team/").get_data(as_text=True)
    assert "Forumet som hölls" in html
    assert "Forumet som kommer" not in html and "Avbokat forum" not in html
