"""What staff see: the mail queue page, the dashboard's warnings, the scheduler's heartbeat, pruning."""

from datetime import timedelta

from sqlalchemy import select, update

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.jobs import heartbeat
from forum_app.jobs.heartbeat import Heartbeat
from forum_app.mail import compose
from forum_app.mail.outbox import sending, services
from forum_app.mail.outbox.models import MailStatus, OutboxMessage

from ..conftest import MONITOR
from ..notes import note


def test_the_mail_queue_is_for_admins_only(client, login):
    assert client.get("/sv/admin/mail/").status_code == 302  # to the login page
    login("coreteam")
    assert client.get("/sv/admin/mail/").status_code == 403


def test_staff_filter_the_queue_by_status_and_address(app, client, login, queue, no_attempt, smtp):
    queue(["sent@example.org"], subject="Skickat")
    with app.app_context():
        sending.send_due()
    queue(["waits@example.org"], subject="Väntar")
    login("admin")
    page = client.get("/en/admin/mail/").get_data(as_text=True)
    assert "sent@example.org" in page and "waits@example.org" in page
    waiting = client.get("/en/admin/mail/?status=waiting").get_data(as_text=True)
    assert "waits@example.org" in waiting and "sent@example.org" not in waiting
    sent = client.get("/en/admin/mail/?status=sent").get_data(as_text=True)
    assert "sent@example.org" in sent and "waits@example.org" not in sent
    found = client.get("/en/admin/mail/?q=V%C3%A4ntar").get_data(as_text=True)
    assert "waits@example.org" in found and "sent@example.org" not in found
    assert client.get("/ar/admin/mail/?status=nonsense&page=x").status_code == 200


def test_a_sent_message_keeps_no_body_and_is_pruned_after_the_retention_period(app, queue, smtp):
    queue(["old@example.org", "new@example.org"])
    with app.app_context():
        rows = {r.recipient: r for r in db.session.scalars(select(OutboxMessage))}
        assert all(r.status is MailStatus.SENT and r.message == b"" for r in rows.values())
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "old@example.org")
                           .values(created_at=utcnow() - timedelta(days=31)))
        note("waiting@example.org", "x", "x")
        app.config["MAIL_AFTER_COMMIT"] = "off"
        db.session.commit()
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == "waiting@example.org")
                           .values(created_at=utcnow() - timedelta(days=40)))
        db.session.commit()
        assert services.prune() == 1
        left = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert left == {"new@example.org", "waiting@example.org"}  # a waiting message is never pruned


def test_the_dashboard_warns_about_mail_waiting_over_an_hour(app, client, login, queue, no_attempt):
    queue(["late@example.org"])
    login("admin")
    assert "har väntat mer än en timme" not in client.get("/sv/admin/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=61)))
        db.session.commit()
    assert "1 mejl har väntat mer än en timme" in client.get("/sv/admin/").get_data(as_text=True)


def test_staff_pages_warn_when_the_scheduler_has_been_silent_for_five_minutes(app, client, login):
    login("admin")
    warning = "Schemaläggaren har"
    assert warning in client.get("/sv/admin/").get_data(as_text=True)  # never reported
    with app.app_context():
        heartbeat.beat()
    assert warning not in client.get("/sv/admin/").get_data(as_text=True)
    assert warning not in client.get("/sv/admin/newsletter/").get_data(as_text=True)
    assert client.get("/healthz", headers=MONITOR).json["warnings"] == []
    with app.app_context():
        db.session.execute(update(Heartbeat).values(beat_at=utcnow() - timedelta(minutes=6)))
        db.session.commit()
    assert warning in client.get("/sv/admin/").get_data(as_text=True)
    assert warning in client.get("/sv/admin/newsletter/").get_data(as_text=True)
    assert client.get("/healthz", headers=MONITOR).json["warnings"] == ["scheduler: no heartbeat for five minutes"]


def test_the_scheduler_beats_and_sends_the_outbox(app, queue, no_attempt, smtp):
    from forum_app import scheduler

    queue(["a@example.org"])
    for job in (scheduler.report_alive, scheduler.send_due_mail):
        scheduler.run_job(app, job)
    with app.app_context():
        assert not heartbeat.is_silent()
    assert [m["To"] for m in smtp.messages] == ["a@example.org"]


def test_no_line_break_reaches_a_header():
    assert compose.header_text("Svårt att få jobb?\r\nBcc: x@example.org\u2028Kom!") == \
        "Svårt att få jobb? Bcc: x@example.org Kom!"


def test_an_erasure_request_removes_the_addresses_messages_from_the_queue(app, queue, no_attempt):
    from forum_app.privacy import registry as personal_data

    queue(["Amal@Example.org", "other@example.org"], subject="Du är anmäld")
    with app.app_context():
        address = personal_data.Address.parse("amal@example.org")
        assert personal_data.collect(address)["mail"][0]["subject"] == "Du är anmäld"
        assert personal_data.erase(address)["mail.messages"] == 1
        assert set(db.session.scalars(select(OutboxMessage.recipient))) == {"other@example.org"}
