"""The mail server down, slow to accept, refusing one address, hanging up: nobody notices but staff."""

from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.mail import sender as one_sender
from forum_app.mail.outbox import attempts, sending
from forum_app.mail.outbox.models import MailStatus, OutboxMessage

from .. import factories
from ..conftest import submit
from ..pg import free_port

FORM = {"name": "Amal Haddad", "email": "amal@example.org", "spoken_language": "ar", "interpretation": "",
        "consent": "y"}


def _rows(app) -> dict[str, OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
    return {row.recipient: row for row in rows}


def _received(smtp) -> Counter:  # noqa: ANN001
    return Counter(m["To"] for m in smtp.messages)


def _make_due(app) -> None:
    with app.app_context():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.status == MailStatus.WAITING)
                           .values(next_try_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_with_the_mail_server_down_the_registration_is_saved_and_its_email_waits(
        app, client, login, smtp):
    with app.app_context():
        forum_id = factories.forum(hook={"sv": "Svårt att få jobb?\r\nKom och berätta!"}).id
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nothing listens there
    response = submit(client, f"/sv/forums/{forum_id}/register", FORM)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/sv/registration/" not in html and "amal@example.org" in html  # the link goes by email only
    assert "på väg" in html  # "a confirmation email ... is on its way"
    [row] = _rows(app).values()
    assert row.status is MailStatus.WAITING and row.tries == 1 and "Connection" in row.last_error
    assert row.next_try_at > utcnow() and "\n" not in row.subject and "Kom och berätta!" in row.subject

    login("admin")
    page = client.get("/sv/admin/mail/?status=waiting").get_data(as_text=True)
    assert "amal@example.org" in page and "Connection" in page

    result = app.test_cli_runner().invoke(args=["mail", "send-due"])
    assert result.exit_code == 0 and "Sent 0" in result.output  # not due yet: the backoff holds
    result = app.test_cli_runner().invoke(args=["mail", "send-due", "--retry-now"])
    assert result.exit_code == 0 and "could not be reached" in result.output

    app.config["MAIL_PORT"] = port  # the server is back
    result = app.test_cli_runner().invoke(args=["mail", "send-due", "--retry-now"])
    assert result.exit_code == 0 and "Sent 1" in result.output, result.output
    assert _received(smtp) == Counter({"amal@example.org": 1})
    [message] = smtp.messages
    assert message["Subject"] == "Du är anmäld: Svårt att få jobb? Kom och berätta!"
    assert "/sv/registration/" in message.get_body(("plain",)).get_content()
    assert _rows(app)["amal@example.org"].status is MailStatus.SENT
    assert app.test_cli_runner().invoke(args=["mail", "send-due", "--retry-now"]).exit_code == 0
    assert len(smtp.messages) == 1


def test_a_451_is_tried_again_after_the_backoff_and_arrives_once(app, queue, smtp):
    smtp.refuse = {"b@example.org": "451 4.3.0 Try again later"}
    queue(["a@example.org", "b@example.org", "c@example.org"])  # the attempt right after the commit
    rows = _rows(app)
    assert rows["b@example.org"].status is MailStatus.WAITING and rows["b@example.org"].tries == 1
    assert "451" in rows["b@example.org"].last_error
    wait = rows["b@example.org"].next_try_at - utcnow()
    assert timedelta(seconds=30) < wait <= timedelta(minutes=1)
    with app.app_context():
        assert sending.send_due().sent == 0  # not before its time
    _make_due(app)
    with app.app_context():
        assert sending.send_due().sent == 1
    assert _received(smtp) == Counter({"a@example.org": 1, "b@example.org": 1, "c@example.org": 1})


def test_a_550_fails_with_the_servers_answer_and_staff_can_try_it_again(app, client, login, queue, smtp):
    smtp.refuse = {"gone@example.org": "550 5.1.1 No such user"}
    queue(["a@example.org", "gone@example.org", "c@example.org"])
    rows = _rows(app)
    assert rows["gone@example.org"].status is MailStatus.FAILED
    assert rows["gone@example.org"].last_error == "550 5.1.1 No such user"
    assert _received(smtp) == Counter({"a@example.org": 1, "c@example.org": 1})

    login("admin")
    dashboard = client.get("/sv/admin/").get_data(as_text=True)
    assert "kunde inte levereras" in dashboard  # "1 email could not be delivered"
    failed = client.get("/sv/admin/mail/?status=failed").get_data(as_text=True)
    assert "gone@example.org" in failed and "550 5.1.1 No such user" in failed and "a@example.org" not in failed
    # The address was corrected at the other end; staff try again (once refused, then accepted).
    response = submit(client, "/sv/admin/mail/retry", {"message_id": str(rows["gone@example.org"].id)},
                      page="/sv/admin/mail/?status=failed")
    assert response.status_code == 302
    assert _rows(app)["gone@example.org"].status is MailStatus.SENT
    assert _received(smtp) == Counter({"a@example.org": 1, "gone@example.org": 1, "c@example.org": 1})
    assert "kunde inte levereras" not in client.get("/sv/admin/").get_data(as_text=True)


def test_a_connection_dropped_mid_batch_loses_and_repeats_nothing(app, queue, no_attempt, dropping_smtp):
    addresses = [f"p{n}@example.org" for n in range(6)]
    queue(addresses)
    dropping_smtp.drop_at = 3
    with app.app_context():
        result = sending.send_due()
    assert result.sent == 2 and result.retrying == 4
    rows = _rows(app)
    assert [rows[a].status for a in addresses] == [MailStatus.SENT] * 2 + [MailStatus.WAITING] * 4
    with app.app_context():
        assert sending.send_due(retry_now=True).sent == 4
    assert _received(dropping_smtp.recorder) == Counter({a: 1 for a in addresses})


def test_one_connection_for_a_whole_pass_of_batches(app, queue, no_attempt, smtp):
    queue([f"p{n}@example.org" for n in range(7)])
    app.config["MAIL_BATCH_SIZE"] = 3
    with app.app_context():
        assert sending.send_due().sent == 7
    assert smtp.connections == 1  # three batches of at most three, one after another on the same connection
    assert _received(smtp) == Counter({f"p{n}@example.org": 1 for n in range(7)})


def test_a_message_still_refused_after_two_days_of_tries_is_failed(app, queue, no_attempt, smtp):
    smtp.refuse = {"slow@example.org": "451 4.7.1 Greylisted"}
    smtp.refuse_once = False
    queue(["slow@example.org"])
    delays = [one_sender.retry_delay(n) for n in range(1, 7)]
    assert delays == [timedelta(minutes=m) for m in (1, 5, 15, 60, 60, 60)]
    assert timedelta(days=2) <= sum((one_sender.retry_delay(n) for n in range(1, one_sender.MAX_TRIES)), timedelta()) \
        + timedelta(hours=1)
    with app.app_context():
        for _ in range(one_sender.MAX_TRIES - 1):
            sending.send_due(retry_now=True)
        row = _rows(app)["slow@example.org"]
        assert row.status is MailStatus.WAITING, (row.tries, row.last_error)
        sending.send_due(retry_now=True)
    row = _rows(app)["slow@example.org"]
    assert row.status is MailStatus.FAILED and row.tries == one_sender.MAX_TRIES and "451" in row.last_error
    assert smtp.messages == []


def test_an_address_with_letters_outside_ascii_goes_where_the_server_takes_it(app, queue, no_attempt, smtp):
    queue(["a@example.org", "amal@exämple.org"])
    with app.app_context():
        assert sending.send_due().sent == 2  # aiosmtpd announces SMTPUTF8
    # Delivered to the envelope's address; the To header carries it as an encoded word.
    assert sorted(m["To"].strip('"') for m in smtp.messages) == ["a@example.org", "amal@exämple.org"]


def test_a_message_smtp_cannot_carry_fails_alone_and_the_rest_are_sent(app, queue, no_attempt, smtp, no_smtputf8):
    queue(["a@example.org", "amal@exämple.org", "c@example.org"])
    with app.app_context():
        result = sending.send_due()
    assert result.sent == 2 and result.failed == 1
    rows = _rows(app)
    assert rows["amal@exämple.org"].status is MailStatus.FAILED
    # the one accepted before it is marked although no command went out for this one
    assert rows["a@example.org"].status is rows["c@example.org"].status is MailStatus.SENT
    assert _received(smtp) == Counter({"a@example.org": 1, "c@example.org": 1})


def test_the_background_attempt_lets_requests_go_first_then_sends_everything_over_one_connection(
        app, queue, smtp):
    import threading
    import time

    app.config["MAIL_AFTER_COMMIT"] = "background"
    page = app.test_request_context("/sv/")  # a page is being answered in this process
    page.push()
    attempts.attempts(app).request_started()  # what the app's before_request does for it
    try:
        for n in range(5):  # five commits, as five registrations would make
            queue([f"p{n}@example.org"])
        time.sleep(0.3)
        assert smtp.messages == [] and smtp.connections == 0  # it waits while the page is answered
    finally:
        page.pop()  # the answer is sent: teardown counts it out
    for thread in [t for t in threading.enumerate() if t.name == "outbox-attempt"]:
        thread.join(30)
    assert _received(smtp) == Counter({f"p{n}@example.org": 1 for n in range(5)})
    assert smtp.connections == 1  # all five together
    assert {row.status for row in _rows(app).values()} == {MailStatus.SENT}


def test_the_attempts_count_out_only_the_requests_they_counted_in(app, client):
    state = attempts.attempts(app)
    assert client.get("/sv/").status_code == 200
    assert client.post("/sv/login", data={"email": "x@example.org"}).status_code == 400  # CSRF stops it first
    with app.test_request_context("/sv/"):  # as the scheduler builds links: a teardown with no request start
        pass
    assert state.requests_in_flight == 0  # a negative count would make every attempt wait its full QUIET_WAIT


def test_a_sender_named_with_letters_outside_ascii_goes_over_any_server(app, queue, no_attempt, smtp, no_smtputf8):
    app.config["MAIL_DEFAULT_SENDER"] = "Migrantforum Malmö <forum@example.se>"
    queue(["a@example.org"])
    with app.app_context():
        assert sending.send_due().sent == 1
    [message] = smtp.messages
    assert message["From"].addresses[0].display_name == "Migrantforum Malmö"
    assert message["From"].addresses[0].addr_spec == "forum@example.se"
    assert message["Message-ID"].endswith("@example.se>")
