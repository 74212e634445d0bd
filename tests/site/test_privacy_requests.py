"""Access and erasure by address: ``flask privacy export|erase``, ``/<lang>/admin/privacy/`` and the
resident's own "download my data", through the registry every domain adds its part to."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.coreteam import services as coreteam
from forum_app.coreteam.models import CoreTeamMember, Meeting, Volunteer
from forum_app.impact import services as impact
from forum_app.impact.models import Channel, FeedbackReceipt
from forum_app.mail.outbox.models import OutboxMessage
from forum_app.newsletter.models import Subscriber
from forum_app.planning.models import Forum, ForumStatus
from forum_app.privacy import registry as personal_data
from forum_app.privacy.registry import PrivacyRequest
from forum_app.recommendations import services as recommendations
from forum_app.recommendations.models import Follower
from forum_app.registrations import services as registrations
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import csrf_token_from, private_link, submit

AMAL = "amal@example.org"


def _fields(name: str, email: str = "", phone: str = "", **more) -> dict:
    return {"name": name, "email": email, "phone": phone, "language": "ar", "spoken_language": "ar",
            "interpretation_language": "ti", "children_ages": [3, 6], "access_needs": "ramp",
            "dietary_needs": "halal", **more}


def _amal_everywhere(app) -> dict:
    """Amal registered for a forum that is over and for one to come (where Bob waits for her place),
    subscribed, follows a topic, offered to volunteer and is now a member who went to a meeting."""
    with app.app_context():
        past = factories.forum(capacity=10)
        token = registrations.register(past.id, _fields("Amal Haddad", AMAL)).token
        # The forum took place: moved into the past, as time would.
        past = db.session.get(Forum, past.id)
        past.starts_at, past.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=3) + timedelta(hours=3)
        past.status = ForumStatus.HELD
        db.session.commit()
        past_registration = registrations.by_token(token)
        impact.submit(past, {"got_to_speak": 5}, channel=Channel.EMAIL,
                      key=impact.key_from_link(past.id, token))
        db.session.commit()
        coming = factories.forum(factories.topic(title="Bostad"), capacity=1)
        registrations.register(coming.id, _fields("Amal Haddad", AMAL.upper(), newsletter=True, wants_coreteam=True))
        registrations.register(coming.id, _fields("Bob Berg", "bob@example.org"))
        recommendations.follow(AMAL, "ar", topic_id=coming.topic_id)
        volunteer = db.session.scalar(select(Volunteer).where(Volunteer.email == AMAL))
        member, _link = coreteam.accept(volunteer, invite=False)
        start = utcnow() - timedelta(days=2)  # attendance is recorded for a meeting held
        coreteam.save_meeting(None, starts_at=start, ends_at=start + timedelta(hours=1), attendees=[member],
                              title="Planering")
        return {"past": past.id, "coming": coming.id, "past_registration": past_registration.id,
                "member": member.id}


def _run(app, *args: str):
    result = app.test_cli_runner().invoke(args=["privacy", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_shows_everything_held_about_an_address(app):
    ids = _amal_everywhere(app)
    document = json.loads(_run(app, "export", " Amal@Example.org "))
    data = document["data"]
    assert document["address"] == AMAL
    assert sorted(r["forum"]["id"] for r in data["registrations"]) == sorted([ids["past"], ids["coming"]])
    [coming] = [r for r in data["registrations"] if r["forum"]["id"] == ids["coming"]]
    assert coming["children_ages"] == [3, 6] and coming["access_needs"] == "ramp" and coming["status"] == "confirmed"
    assert data["newsletter"]["email"] == AMAL and data["newsletter"]["confirmed_at"] is None
    assert [f["topic_id"] for f in data["recommendations"]]
    assert data["coreteam"]["volunteer"][0]["status"] == "accepted"
    assert [m["title"] for m in data["coreteam"]["member"][0]["meetings_attended"]] == ["Planering"]
    assert data["impact"]["linked_to_registrations"][0]["answered_with_the_link"] is True
    assert "anonymous" in data["impact"]["note"]
    assert data["mail"] and all(m["subject"] for m in data["mail"])
    assert "bob@example.org" not in json.dumps(document)
    with app.app_context():  # kept in the register and the log, without the data
        request = db.session.scalar(select(PrivacyRequest))
        assert request.kind == "export" and request.via == "cli" and request.counts["registrations"] == 2
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exported"))
        assert event.object_type == "PrivacyRequest" and AMAL not in json.dumps([event.summary, event.changes])


def test_erase_removes_or_anonymises_everything_in_one_go(app):
    ids = _amal_everywhere(app)
    with app.app_context():
        bob = db.session.scalar(select(Registration).where(Registration.email == "bob@example.org"))
        assert bob.status is RegistrationStatus.WAITING
        attendees_before = len(db.session.scalar(select(Meeting)).attendees)
    erased = json.loads(_run(app, "erase", AMAL, "--yes"))["erased"]
    assert erased["registrations.deleted"] == 1 and erased["registrations.anonymised"] == 1
    assert erased["registrations.promoted"] == 1 and erased["impact.receipts"] == 1
    with app.app_context():
        # The forum to come: her place went to Bob, who is told.
        bob = db.session.scalar(select(Registration).where(Registration.email == "bob@example.org"))
        assert bob.status is RegistrationStatus.CONFIRMED
        assert db.session.scalar(select(func.count()).select_from(Registration).where(
            Registration.forum_id == ids["coming"])) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient.like("%bob@example.org%"))) >= 2  # confirmation, then the place
        # The forum that is over keeps the anonymous row its figures count.
        past = db.session.get(Registration, ids["past_registration"])
        assert (past.name, past.email, past.phone, past.access_needs, past.token_hash, past.person_key) == \
            ("", "", "", "", None, None)
        assert past.children_ages == [3, 6] and past.interpretation_language == "ti"
        assert db.session.scalar(select(func.count()).select_from(FeedbackReceipt)) == 0
        assert db.session.scalar(select(Subscriber)) is None
        assert db.session.scalar(select(Follower)) is None
        assert db.session.scalar(select(Volunteer)) is None
        member = db.session.get(CoreTeamMember, ids["member"])
        assert (member.name, member.email, member.phone) == ("—", "", "")
        assert len(db.session.scalar(select(Meeting)).attendees) == attendees_before  # meetings still count
        assert not db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient.like(f"%{AMAL}%"))).all()
        summaries = " ".join(db.session.scalars(select(AuditEvent.summary)))
        assert AMAL not in summaries and "Amal" not in summaries
        request = db.session.scalar(select(PrivacyRequest).where(PrivacyRequest.kind == "erase"))
        assert request.counts == erased
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erased")).object_id == request.id
    assert json.loads(_run(app, "export", AMAL))["data"] == {}


def test_a_failing_part_leaves_everything_as_it_was(app):
    _amal_everywhere(app)

    def refuse(address):  # noqa: ANN001
        raise RuntimeError("this domain cannot erase")

    personal_data.register("zz_failing", export=lambda address: None, erase=refuse)
    try:
        result = app.test_cli_runner().invoke(args=["privacy", "erase", AMAL, "--yes"])
    finally:
        del personal_data._registry["zz_failing"]
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration).where(Registration.email == AMAL)) == 2
        assert db.session.scalar(select(Subscriber)) is not None
        assert db.session.scalar(select(Volunteer)) is not None
        assert db.session.scalar(select(PrivacyRequest)) is None


def test_a_phone_number_finds_a_registration_made_with_a_phone_only(app):
    with app.app_context():
        forum = factories.forum()
        registrations.register(forum.id, _fields("Sahra Ali", phone="070-123 45 67"))
    data = json.loads(_run(app, "export", "0701234567"))["data"]
    assert [r["name"] for r in data["registrations"]] == ["Sahra Ali"]
    _run(app, "erase", "070 123 45 67", "--yes")
    with app.app_context():
        assert db.session.scalar(select(Registration)) is None


def test_a_staff_account_is_closed_without_its_address(app, make_user):
    user = make_user(AMAL, "coreteam")
    data = json.loads(_run(app, "export", AMAL))["data"]
    assert data["accounts"]["role"] == "coreteam"
    _run(app, "erase", AMAL, "--yes")
    with app.app_context():
        from forum_app.accounts.models import User

        closed = db.session.get(User, user.id)
        assert closed.email == f"erased-{user.id}@invalid" and not closed.active and not closed.password_hash


def test_the_command_refuses_what_is_not_an_address(app):
    result = app.test_cli_runner().invoke(args=["privacy", "export", "hello"])
    assert result.exit_code == 2 and "phone number" in result.output


def test_the_admin_page_exports_downloads_and_erases_after_a_confirmation(app, client, login):
    _amal_everywhere(app)
    login("admin")
    page = client.get("/en/admin/privacy/")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))

    wrong = client.post("/en/admin/privacy/export", data={"csrf_token": token, "address": "not an address"})
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "at least six digits" in html and 'value="not an address"' in html

    shown = client.post("/en/admin/privacy/export", data={"csrf_token": token, "address": AMAL})
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert "Amal Haddad" in shown.get_data(as_text=True)

    download = client.post("/en/admin/privacy/export", data={"csrf_token": token, "address": AMAL, "download": "1"})
    assert download.mimetype == "application/json" and "attachment" in download.headers["Content-Disposition"]
    assert download.get_json()["data"]["registrations"]

    asked = client.post("/en/admin/privacy/erase", data={"csrf_token": token, "address": AMAL})
    assert asked.status_code == 200 and "Yes, erase everything" in asked.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration).where(Registration.email == AMAL)) == 2
    done = client.post("/en/admin/privacy/erase", data={"csrf_token": token, "address": AMAL, "confirmed": AMAL},
                       follow_redirects=True)
    assert done.status_code == 200
    html = done.get_data(as_text=True)
    assert "were erased or anonymised" in html and "Erasure" in html and AMAL not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration).where(Registration.email == AMAL)) == 0
        kinds = db.session.scalars(select(PrivacyRequest.kind).order_by(PrivacyRequest.id)).all()
        assert kinds == ["export", "export", "erase"]
        assert all(r.user_id is not None for r in db.session.scalars(select(PrivacyRequest)))


@pytest.mark.parametrize("role", ["coreteam", "official"])
def test_only_the_office_handles_requests(client, login, role):
    login(role)
    assert client.get("/sv/admin/privacy/").status_code == 403


def test_a_resident_downloads_their_own_registration(app, client):
    with app.app_context():
        forum_id = factories.forum().id
    response = submit(client, f"/sv/forums/{forum_id}/register",
                      {"name": "Amal Haddad", "email": AMAL, "spoken_language": "ar", "consent": "y",
                       "children_ages": "4"})
    assert response.status_code == 200
    manage = private_link(app, AMAL)
    page = client.get(manage)
    assert "Download my data" in client.get(manage.replace("/sv/", "/en/")).get_data(as_text=True)
    download = client.post(f"{manage}/data", data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    [registration] = download.get_json()["data"]["registrations"]
    assert registration["name"] == "Amal Haddad" and registration["children_ages"] == [4]
    with app.app_context():
        request = db.session.scalar(select(PrivacyRequest))
        assert request.kind == "self_export" and request.via == "manage_link"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exported")).user_id is None
    # Someone else's token, or none, gets nothing.
    assert client.post(manage[:-3] + "xyz/data", data={"csrf_token": csrf_token_from(page.get_data(as_text=True))}
                       ).status_code == 404


def test_a_csv_of_registrations_is_an_audited_export(app, client, login):
    with app.app_context():
        forum = factories.forum()
        registrations.register(forum.id, _fields("Amal Haddad", AMAL))
        forum_id = forum.id
    login("admin")
    response = client.get(f"/sv/admin/forums/{forum_id}/registrations.csv")
    assert response.status_code == 200 and "Amal Haddad" in response.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exported"))
        assert (event.object_type, event.object_id, event.changes) == ("Forum", forum_id, {"rows": [None, 1]})
        assert event.user_id is not None and AMAL not in event.summary


def test_a_partner_organisations_contact_person_is_found_and_erased(app):
    from forum_app.planning import services as planning
    from forum_app.planning.models import Organisation

    with app.app_context():
        planning.save_organisation(None, topic_ids=[], name="Somaliska föreningen", contact_person="Hodan Ali",
                                   email="Hodan@Example.org", phone="070-555 12 34")
    data = json.loads(_run(app, "export", "hodan@example.org"))["data"]
    assert data["planning"]["organisations"][0]["contact_person"] == "Hodan Ali"
    assert json.loads(_run(app, "export", "0705551234"))["data"]["planning"]["organisations"]
    erased = json.loads(_run(app, "erase", "hodan@example.org", "--yes"))["erased"]
    assert erased["planning.organisation_contacts"] == 1
    with app.app_context():
        organisation = db.session.scalar(select(Organisation))
        assert organisation.name == "Somaliska föreningen"  # an organisation is not a person: it stays
        assert (organisation.contact_person, organisation.email, organisation.phone) == ("", "", "")
