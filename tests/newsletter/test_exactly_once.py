"""Every confirmed subscriber gets the issue exactly once: through a crash, a restart, two senders."""

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.newsletter import sending
from forum_app.newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber

pytestmark = pytest.mark.slow  # real processes and many connections: see PYTEST_ARGS in the README

ROOT = Path(__file__).resolve().parents[2]


def _sender(app, database_url: str, tmp_path) -> subprocess.Popen:  # noqa: ANN001
    env = {**os.environ, "DATABASE_URL": database_url, "FORUM_INSTANCE_PATH": str(tmp_path),
           "SECRET_KEY": app.config["SECRET_KEY"], "BASE_URL": "http://localhost", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(app.config["MAIL_PORT"]), "NEWSLETTER_BATCH_SIZE": "10"}
    return subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "forum_app", "newsletter",
                             "send-due"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _received(smtp) -> Counter:
    return Counter(m["To"] for m in smtp.messages)


def test_a_sender_killed_mid_run_is_resumed_without_skipping_or_repeating(app, database_url, tmp_path,
                                                                          subscribers, due_issue, smtp):
    emails = subscribers(60)
    with app.app_context():  # signed up but never confirmed: must get nothing
        db.session.add(Subscriber(email="late@example.org", language="sv"))
        db.session.commit()
    issue_id = due_issue()
    smtp.stall_at = 25
    with app.app_context():
        db.engine.dispose()
    sender = _sender(app, database_url, tmp_path)
    assert smtp.stalled.wait(60), sender.communicate(timeout=5)
    sender.send_signal(signal.SIGKILL)  # a hard crash while message 25 waits for its reply
    sender.wait()
    assert 20 <= len(smtp.messages) < 60
    smtp.stall_at = None
    resumed = _sender(app, database_url, tmp_path)  # a restart on the same host
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()
    assert _received(smtp) == Counter({email: 1 for email in emails})
    assert "late@example.org" not in _received(smtp)
    with app.app_context():
        assert db.session.get(Issue, issue_id).status is IssueStatus.SENT


def test_two_senders_side_by_side_send_each_message_once(app, database_url, tmp_path, subscribers, due_issue, smtp):
    emails = subscribers(120)
    issue_id = due_issue()
    smtp.delay = 0.01
    with app.app_context():
        db.engine.dispose()
    first, second = _sender(app, database_url, tmp_path), _sender(app, database_url, tmp_path)
    for process in (first, second):
        _out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()
    assert _received(smtp) == Counter({email: 1 for email in emails})
    with app.app_context():
        senders = set(db.session.scalars(select(Delivery.claimed_by).where(Delivery.issue_id == issue_id)))
        assert len(senders) == 2  # both really took part
        assert db.session.get(Issue, issue_id).status is IssueStatus.SENT


def test_a_temporary_failure_is_retried_later_and_a_permanent_one_is_given_up(app, subscribers, due_issue, smtp):
    emails = subscribers(5)
    issue_id = due_issue()
    smtp.refuse = {emails[1]: "451 4.3.0 Try again later", emails[2]: "550 5.1.1 No such user"}
    with app.app_context():
        assert sending.send_due() == 3
        rows = {d.subscriber.email: d for d in db.session.scalars(select(Delivery))}
        assert rows[emails[1]].status is DeliveryStatus.WAITING and rows[emails[1]].next_try_at > utcnow()
        assert rows[emails[2]].status is DeliveryStatus.FAILED and "550" in rows[emails[2]].last_error
        assert sending.send_due() == 0  # not before the backoff
        db.session.execute(update(Delivery).values(next_try_at=utcnow() - timedelta(seconds=1))
                           .where(Delivery.status == DeliveryStatus.WAITING))
        db.session.commit()
        assert sending.send_due() == 1
        assert db.session.get(Issue, issue_id).status is IssueStatus.SENT
    assert _received(smtp) == Counter({e: 1 for e in emails if e != emails[2]})


def test_an_unreachable_server_loses_nothing(app, subscribers, due_issue, smtp):
    emails = subscribers(4)
    due_issue()
    with app.app_context():
        port = app.config["MAIL_PORT"]
        app.config["MAIL_PORT"] = 1
        assert sending.send_due() == 0
        assert {d.status for d in db.session.scalars(select(Delivery))} == {DeliveryStatus.WAITING}
        app.config["MAIL_PORT"] = port
        db.session.execute(update(Delivery).values(next_try_at=None))
        db.session.commit()
        assert sending.send_due() == 4
    assert _received(smtp) == Counter({e: 1 for e in emails})


def test_one_connection_for_a_whole_pass(app, subscribers, due_issue, smtp):
    subscribers(25)
    due_issue()
    app.config["NEWSLETTER_BATCH_SIZE"] = 10
    with app.app_context():
        assert sending.send_due() == 25
    assert smtp.connections == 1  # three batches of at most ten, one after another on the same connection
    assert _received(smtp) == Counter({f"reader{n}@example.org": 1 for n in range(25)})


def test_the_server_accepts_a_newsletter_only_after_the_one_before_is_marked_sent(app, subscribers, due_issue, smtp):
    """Checked from inside the SMTP server at the end of each message's DATA (the marks are written while
    the server answers the next message's first command): at most one accepted message is ever unmarked."""
    subscribers(25)
    due_issue()
    app.config["NEWSLETTER_BATCH_SIZE"] = 10
    unmarked, checked = [], []

    def check(envelope) -> None:  # noqa: ANN001 - runs in the SMTP server's thread, on its own connection
        with app.app_context():
            statuses = dict(db.session.execute(select(Subscriber.email, Delivery.status)
                                               .join(Delivery, Delivery.subscriber_id == Subscriber.id)).all())
            db.session.remove()
        checked.append(envelope.rcpt_tos[0])
        unmarked.extend(m["To"] for m in smtp.messages if statuses[m["To"]] is not DeliveryStatus.SENT)

    smtp.before_accepting = check
    with app.app_context():
        assert sending.send_due() == 25
        statuses = set(db.session.scalars(select(Delivery.status)))
    assert len(checked) == 25 and unmarked == []
    assert statuses == {DeliveryStatus.SENT}
    assert _received(smtp) == Counter({f"reader{n}@example.org": 1 for n in range(25)})
