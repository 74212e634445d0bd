import re
from datetime import timedelta

from sqlalchemy import func, select

from forum_app.accounts.models import PasswordLink, Role, User
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import city_today
from forum_app.coreteam import services
from forum_app.coreteam.models import CoreTeamMember, Meeting, Volunteer, VolunteerStatus

from .. import factories
from ..conftest import submit


def _member(name="Hodan Ali", email="hodan@example.org", lang="so", days_left=200) -> CoreTeamMember:
    today = city_today()
    member = CoreTeamMember(name=name, email=email, language=lang, languages=["so"],
                            term_start=today - timedelta(days=365 - days_left), term_end=today + timedelta(days=days_left))
    db.session.add(member)
    db.session.commit()
    return member


def test_ticking_the_box_when_registering_makes_a_volunteer(client, app):
    with app.app_context():
        forum_id = factories.forum().id
    submit(client, f"/so/forums/{forum_id}/register", {"name": "Hodan", "email": "hodan@example.org",
                                                       "spoken_language": "so", "wants_coreteam": "y", "consent": "y"})
    with app.app_context():
        volunteer = db.session.scalar(select(Volunteer))
        assert (volunteer.name, volunteer.language, volunteer.languages, volunteer.forum_id) == \
            ("Hodan", "so", ["so"], forum_id)


def test_the_public_page_explains_and_takes_an_offer_in_every_language(client, app):
    html = client.get("/ti/core-team/").get_data(as_text=True)
    assert '<html lang="ti"' in html and "10" in html
    missing = submit(client, "/ar/core-team/", {"name": "Omar", "consent": "y"})
    assert missing.status_code == 400 and 'value="Omar"' in missing.get_data(as_text=True)
    ok = submit(client, "/ar/core-team/", {"name": "Omar", "phone": "070 123 45 67", "languages": ["ar", "en"],
                                           "consent": "y"})
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Volunteer.languages)) == ["ar", "en"]


def test_staff_accept_a_volunteer_who_gets_an_invitation_in_their_language(client, login, app, smtp):
    with app.app_context():
        services.add_volunteer(name="Hodan", email="hodan@example.org", language="so", languages=["so"])
        db.session.commit()
        volunteer_id = db.session.scalar(select(Volunteer.id))
    login("admin")
    page = client.get("/sv/admin/core-team/").get_data(as_text=True)
    assert "Hodan" in page
    assert submit(client, f"/sv/admin/core-team/volunteers/{volunteer_id}/accept", {"invite": "y"},
                  page="/sv/admin/core-team/").status_code == 302
    with app.app_context():
        member = db.session.scalar(select(CoreTeamMember))
        assert member.term_start == city_today()
        assert (member.term_end - member.term_start).days in (364, 365)
        assert db.session.get(Volunteer, volunteer_id).status is VolunteerStatus.ACCEPTED
    [message] = smtp.to("hodan@example.org")
    assert message["Content-Language"] == "so"
    link = re.search(r"http://localhost(/so/set-password/\S+)", message.get_body(("plain",)).get_content()).group(1)

    client.post("/sv/logout", data={"csrf_token": _token(client)})
    response = submit(client, link, {"password": "ten letters!", "confirm": "ten letters!"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert "Hodan" in client.get("/so/admin/").get_data(as_text=True)
    assert client.get("/so/admin/core-team/workspace").status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "hodan@example.org"))
        assert user.role is Role.CORETEAM and user.core_member.name == "Hodan"
    assert client.get(link).status_code == 404  # single use


def _token(client):
    from ..conftest import csrf_token_from

    return csrf_token_from(client.get("/sv/admin/").get_data(as_text=True))


def test_declined_volunteer_is_told_in_their_language(client, login, app, smtp):
    with app.app_context():
        services.add_volunteer(name="Reza", email="reza@example.org", language="fa")
        db.session.commit()
    login("admin")
    submit(client, "/sv/admin/core-team/volunteers/1/decline", {}, page="/sv/admin/core-team/")
    [message] = smtp.to("reza@example.org")
    assert message["Content-Language"] == "fa" and 'dir="rtl"' in message.get_body(("html",)).get_content()


def test_an_expired_invitation_is_a_plain_404(client, app):
    with app.app_context():
        member = _member()
        token = services.send_invitation(member).rsplit("/", 1)[1]
        invitation = db.session.scalar(select(PasswordLink))
        assert invitation.expires_at > utcnow() + timedelta(days=13)  # a core-team invitation lasts 14 days
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.get(f"/sv/set-password/{token}").status_code == 404


def test_a_former_member_loses_access_when_the_term_ends(client, app):
    with app.app_context():
        member = _member(days_left=1)
        token = services.send_invitation(member).rsplit("/", 1)[1]
    submit(client, f"/sv/set-password/{token}", {"password": "ten letters!", "confirm": "ten letters!"})
    assert client.get("/sv/admin/core-team/workspace").status_code == 200
    with app.app_context():
        member = db.session.scalar(select(CoreTeamMember))
        member.term_end = city_today() - timedelta(days=1)
        db.session.commit()
    response = client.get("/sv/admin/core-team/workspace")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    refused = submit(client, "/en/login", {"email": "hodan@example.org", "password": "ten letters!"})
    assert refused.status_code == 401
    assert "Your term in the core team ended on" in refused.get_data(as_text=True)
    assert "password is not right" not in refused.get_data(as_text=True)


def test_the_team_overview_warns_about_size_and_ending_terms(client, login, app):
    with app.app_context():
        for n in range(9):
            _member(name=f"Medlem {n}", email=f"m{n}@example.org", days_left=100 + n)
        _member(name="Snart slut", email="s@example.org", days_left=10)
    login("admin")
    html = client.get("/en/admin/core-team/").get_data(as_text=True)
    assert "10 active members" in html and "at least 10" not in html
    assert "Ends within 30 days" in html
    with app.app_context():
        db.session.execute(db.delete(CoreTeamMember).where(CoreTeamMember.name == "Medlem 0"))
        db.session.commit()
    assert "should have at least 10 active members" in client.get("/en/admin/").get_data(as_text=True)


def test_term_end_reminder_arrives_once_and_again_after_renewal(app, smtp, make_user):
    make_user("boss@example.org", "admin")
    with app.app_context():
        member = _member(days_left=20)
        assert services.remind_terms_ending() == 1
        assert services.remind_terms_ending() == 0
        assert sorted(m["To"] for m in smtp.messages) == ["boss@example.org", "hodan@example.org"]
        old_end = member.term_end
        services.renew(db.session.get(CoreTeamMember, member.id))
        member = db.session.get(CoreTeamMember, member.id)
        assert member.term_end == services.one_year_after(old_end + timedelta(days=1))
        member.term_end = city_today() + timedelta(days=15)  # a year later, the renewed term nears its end
        db.session.commit()
        assert services.remind_terms_ending() == 1


def test_meetings_with_invitations_notes_and_attendance(client, login, app, smtp):
    with app.app_context():
        meeting_day = (city_today() + timedelta(days=40)).isoformat()  # within the members' terms, on any day
        _member(), _member(name="Omar", email="omar@example.org", lang="ar")
    login("admin")
    response = submit(client, "/sv/admin/core-team/meetings/new", {
        "title": "Möte med socialförvaltningen", "starts_at": f"{meeting_day}T18:00", "ends_at": f"{meeting_day}T20:00",
        "place": "Stadshuset", "agenda": "Rekommendationerna"})
    assert response.status_code == 302
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    submit(client, f"/sv/admin/core-team/meetings/{meeting_id}/invite", {}, page=f"/sv/admin/core-team/meetings/{meeting_id}")
    arabic = smtp.to("omar@example.org")[0]
    assert arabic["Content-Language"] == "ar"
    assert any(p.get_content_type() == "text/calendar" for p in arabic.iter_attachments())


def test_core_team_members_read_notes_but_cannot_edit_meetings(client, login, app):
    with app.app_context():
        start = utcnow() - timedelta(days=3)
        db.session.add(Meeting(title="Förra mötet", starts_at=start, ends_at=start + timedelta(hours=2),
                               notes="Vi bestämde att skriva ett utkast."))
        db.session.commit()
    login("coreteam")
    assert "skriva ett utkast" in client.get("/ar/admin/core-team/meetings/1").get_data(as_text=True)
    assert client.get("/ar/admin/core-team/meetings/1/edit").status_code == 403
    assert client.get("/ar/admin/core-team/").status_code == 403
    workspace = client.get("/ar/admin/").get_data(as_text=True)
    assert "Förra mötet" in workspace


def test_demo_has_a_team_of_about_a_dozen(app, demo):
    with app.app_context():
        overview = services.team_overview()
        assert 10 <= len(overview.active) <= 20 and len(overview.ending_soon) == 1
        assert db.session.scalar(select(func.count()).select_from(Meeting)) >= 3
        assert db.session.scalar(select(User).where(User.email == "coreteam@example.org")).core_member


def test_a_referer_from_another_host_is_not_followed(client, login, app):
    with app.app_context():
        member_id = _member().id
    login("admin")
    response = submit(client, f"/sv/admin/core-team/members/{member_id}/renew", {},
                      page="/sv/admin/core-team/", headers={"Referer": "https://evil.example/phish"})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]
    response = submit(client, f"/sv/admin/core-team/members/{member_id}/renew", {},
                      page="/sv/admin/core-team/", headers={"Referer": f"http://localhost/sv/admin/core-team/members/{member_id}"})
    assert response.headers["Location"].endswith(f"/sv/admin/core-team/members/{member_id}")
