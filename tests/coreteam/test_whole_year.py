"""The core team's whole year: a paper form typed in at the door, a membership that ends (term over or
stepped down, with a reason) and the size that follows, officials and department staff at meetings."""

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.coreteam import services
from forum_app.coreteam.models import CoreTeamMember, Meeting, MeetingGuest, MembershipEnd, Volunteer

from .. import factories
from ..conftest import submit
from .test_coreteam import _member


def test_staff_type_in_a_paper_form_and_accept_the_volunteer_like_any_other(client, login, app):
    with app.app_context():
        forum_id = factories.forum(days=-1).id
    login("admin")
    response = submit(client, "/sv/admin/core-team/volunteers/paper",
                      {"name": "Yonas Tesfay", "phone": "070 111 22 33", "language": "ti", "languages": ["ti"],
                       "forum_id": str(forum_id), "message": "Jag vill hjälpa till", "consent": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    team = client.get("/en/admin/core-team/").get_data(as_text=True)
    assert "Yonas Tesfay" in team and "Paper form" in team
    with app.app_context():
        volunteer = db.session.scalar(select(Volunteer))
        assert volunteer.on_paper and volunteer.forum_id == forum_id and volunteer.language == "ti"
        volunteer_id = volunteer.id
    submit(client, f"/sv/admin/core-team/volunteers/{volunteer_id}/accept", {}, page="/sv/admin/core-team/")
    with app.app_context():
        assert db.session.scalar(select(CoreTeamMember.name)) == "Yonas Tesfay"


def test_a_paper_form_without_a_signature_is_refused_and_keeps_what_was_typed(client, login, app):
    login("admin")
    response = submit(client, "/en/admin/core-team/volunteers/paper", {"name": "Yonas Tesfay", "language": "ti",
                                                                       "forum_id": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Yonas Tesfay"' in html and "Only a signed form can be typed in." in html
    with app.app_context():
        assert db.session.scalar(select(Volunteer.id)) is None


def test_a_member_who_steps_down_leaves_the_current_team_with_the_reason_kept(client, login, app):
    with app.app_context():
        hodan_id = _member().id
        _member(name="Omar", email="omar@example.org", lang="ar")
        assert len(services.team_overview().active) == 2
    login("admin")
    response = submit(client, f"/en/admin/core-team/members/{hodan_id}/end",
                      {"reason": "stepped_down", "note": "Ny anställning"},
                      page=f"/en/admin/core-team/members/{hodan_id}")
    assert response.status_code == 302
    with app.app_context():
        member = db.session.get(CoreTeamMember, hodan_id)
        assert (member.end_reason, member.end_note, member.ended_on) == (
            MembershipEnd.STEPPED_DOWN, "Ny anställning", city_today())
        assert not member.is_active_on(city_today())
        assert [m.name for m in services.team_overview().active] == ["Omar"]
        try:
            services.end_membership(member, reason=MembershipEnd.TERM_OVER)
        except services.CoreTeamError:
            pass
        else:
            raise AssertionError("a membership ended twice")
    team = client.get("/en/admin/core-team/").get_data(as_text=True)
    assert "1 active member" in team and "Stepped down: Ny anställning" in team


def test_officials_and_department_staff_are_invited_and_the_record_shows_both(client, login, app, smtp):
    with app.app_context():
        _member()
        official = User(email="karin@example.org", name="Karin Lund", role="official", language="sv",
                        password_hash="x")
        db.session.add(official)
        db.session.commit()
        official_id = official.id
    login("admin")
    response = submit(client, "/sv/admin/core-team/meetings/new", {
        "title": "Möte om äldreomsorgen", "starts_at": "2030-01-14T18:00", "ends_at": "2030-01-14T20:00",
        "official_ids": [str(official_id)]})
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = f"/sv/admin/core-team/meetings/{meeting_id}"
    response = submit(client, page, {"name": "Per Ek", "email": "Per.Ek@example.org",
                                     "department": "Äldreförvaltningen", "language": "en"})
    assert response.status_code == 302, response.get_data(as_text=True)
    submit(client, f"/sv/admin/core-team/meetings/{meeting_id}/invite", {}, page=page)
    assert len(smtp.to("karin@example.org")) == 1 and len(smtp.to("per.ek@example.org")) == 1
    assert smtp.to("per.ek@example.org")[0]["Content-Language"] == "en"
    record = client.get(f"/en{page[3:]}").get_data(as_text=True)
    assert "Karin Lund" in record and "Per Ek" in record and "Official" in record and "Department staff" in record
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert [u.id for u in meeting.officials] == [official_id]
        assert db.session.scalar(select(MeetingGuest.email)) == "per.ek@example.org"


def _meeting(app) -> int:
    with app.app_context():
        return services.save_meeting(None, starts_at=factories.utcnow(), ends_at=factories.utcnow(),
                                     attendees=[], title="Möte").id


def test_a_guest_without_an_address_is_refused_and_keeps_what_was_typed(client, login, app):
    meeting_id = _meeting(app)
    login("admin")
    response = submit(client, f"/en/admin/core-team/meetings/{meeting_id}", {"name": "Per Ek", "email": ""})
    assert response.status_code == 400 and 'value="Per Ek"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(MeetingGuest.id)) is None


def test_the_core_team_reads_the_record_but_cannot_add_guests(client, login, app):
    meeting_id = _meeting(app)
    login("coreteam")
    assert client.get(f"/sv/admin/core-team/meetings/{meeting_id}").status_code == 200
    response = submit(client, f"/sv/admin/core-team/meetings/{meeting_id}", {"name": "X", "email": "x@example.org"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(MeetingGuest.id)) is None


def test_a_guest_added_by_mistake_can_be_taken_off_the_list_before_the_invitations_go(client, login, app, smtp):
    meeting_id = _meeting(app)
    with app.app_context():
        other = services.add_meeting_guest(db.session.get(Meeting, _meeting(app)), name="Kvar", email="kvar@example.org",
                                           department="")
        mistake = services.add_meeting_guest(db.session.get(Meeting, meeting_id), name="Per Ek",
                                             email="per.ek@exmaple.org", department="Äldreförvaltningen")
        other_id, mistake_id = other.id, mistake.id
    login("admin")
    page = f"/en/admin/core-team/meetings/{meeting_id}"
    assert "Remove: Per Ek" in client.get(page).get_data(as_text=True)
    wrong_meeting = submit(client, f"/en/admin/core-team/meetings/{meeting_id}/guests/{other_id}/remove", {}, page=page)
    assert wrong_meeting.status_code == 404
    response = submit(client, f"/en/admin/core-team/meetings/{meeting_id}/guests/{mistake_id}/remove", {}, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    assert "Per Ek" not in client.get(page).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(MeetingGuest.name)).all() == ["Kvar"]
        assert db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "MeetingGuest", AuditEvent.object_id == mistake_id)
            .order_by(AuditEvent.id)).all() == ["created", "deleted"]
    submit(client, f"/en/admin/core-team/meetings/{meeting_id}/invite", {}, page=page)
    assert smtp.to("per.ek@exmaple.org") == []


def test_the_core_team_cannot_take_a_guest_off_the_list(client, login, app):
    meeting_id = _meeting(app)
    with app.app_context():
        guest_id = services.add_meeting_guest(db.session.get(Meeting, meeting_id), name="Per Ek",
                                              email="per.ek@example.org", department="").id
    login("coreteam")
    page = f"/en/admin/core-team/meetings/{meeting_id}"
    assert "Remove: Per Ek" not in client.get(page).get_data(as_text=True)
    response = submit(client, f"/en/admin/core-team/meetings/{meeting_id}/guests/{guest_id}/remove", {}, page=page)
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(MeetingGuest.id)) == guest_id
