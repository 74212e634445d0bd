"""Each message leaves once: two senders at once, the attempt after a commit racing the scheduler,
a sender killed in the middle of a batch."""

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.mail.outbox import sending
from forum_app.mail.outbox.models import MailStatus, OutboxMessage

from ..notes import note

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _sender(app, database_url: str, tmp_path, *args: str) -> subprocess.Popen:  # noqa: ANN001
    env = {**os.environ, "DATABASE_URL": database_url, "FORUM_INSTANCE_PATH": str(tmp_path),
           "SECRET_KEY": app.config["SECRET_KEY"], "BASE_URL": "http://localhost", "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(app.config["MAIL_PORT"]), "MAIL_BATCH_SIZE": "10"}
    return subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "forum_app", "mail", "send-due",
                             *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _received(smtp) -> Counter:  # noqa: ANN001
    return Counter(m["To"] for m in smtp.messages)


def _statuses(app) -> Counter:  # noqa: ANN001
    with app.app_context():
        return Counter(dict(db.session.execute(select(OutboxMessage.status, func.count())
                                               .group_by(OutboxMessage.status)).all()))


def test_two_senders_side_by_side_send_each_message_once(app, database_url, tmp_path, queue, no_attempt, smtp):
    addresses = [f"r{n}@example.org" for n in range(80)]
    queue(addresses)
    smtp.delay = 0.01
    with app.app_context():
        db.engine.dispose()
    first, second = _sender(app, database_url, tmp_path), _sender(app, database_url, tmp_path)
    for process in (first, second):
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()
    assert _received(smtp) == Counter({a: 1 for a in addresses})
    assert _statuses(app) == Counter({MailStatus.SENT: 80})


def test_the_server_accepts_a_message_only_after_the_one_before_is_marked_sent(app, queue, no_attempt, smtp):
    """Checked from inside the SMTP server, at the end of each message's DATA: every message it accepted
    before is already marked sent in the database, so at most one accepted message is ever unmarked."""
    addresses = [f"r{n}@example.org" for n in range(30)]
    queue(addresses)
    app.config["MAIL_BATCH_SIZE"] = 7
    checked, unmarked = [], []

    def check(envelope) -> None:  # noqa: ANN001 - runs in the SMTP server's thread, on its own connection
        with app.app_context():
            statuses = dict(db.session.execute(select(OutboxMessage.recipient, OutboxMessage.status)).all())
            db.session.remove()
        accepted_before = [m["To"] for m in smtp.messages]
        checked.append(envelope.rcpt_tos[0])
        unmarked.extend(a for a in accepted_before if statuses[a] is not MailStatus.SENT)

    smtp.before_accepting = check
    with app.app_context():
        assert sending.send_due().sent == 30
    assert checked == addresses and unmarked == []
    assert _received(smtp) == Counter({a: 1 for a in addresses})
    assert _statuses(app) == Counter({MailStatus.SENT: 30})


def test_a_sender_killed_mid_batch_is_resumed_without_losing_or_repeating(app, database_url, tmp_path, queue,
                                                                         no_attempt, smtp):
    addresses = [f"r{n}@example.org" for n in range(40)]
    queue(addresses)
    smtp.stall_at = 15
    with app.app_context():
        db.engine.dispose()
    sender = _sender(app, database_url, tmp_path)
    assert smtp.stalled.wait(60), sender.communicate(timeout=5)
    sender.send_signal(signal.SIGKILL)  # a hard crash while message 15 waits for its answer
    sender.wait()
    assert 10 <= len(smtp.messages) < 40
    assert _statuses(app)[MailStatus.SENDING] > 0  # its claim is left behind
    smtp.stall_at = None
    resumed = _sender(app, database_url, tmp_path)  # the scheduler's next pass on the same host
    _out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()
    assert _received(smtp) == Counter({a: 1 for a in addresses})
    assert _statuses(app) == Counter({MailStatus.SENT: 40})


def test_the_attempt_after_each_commit_racing_the_scheduler_sends_each_message_once(app, database_url, tmp_path,
                                                                                   smtp):
    app.config["MAIL_AFTER_COMMIT"] = "background"
    smtp.delay = 0.005
    addresses = [f"r{n}@example.org" for n in range(60)]
    stop = threading.Event()

    def scheduler_passes() -> None:
        while not stop.is_set():
            process = _sender(app, database_url, tmp_path)
            process.communicate(timeout=120)

    racer = threading.Thread(target=scheduler_passes)
    racer.start()
    try:
        for address in addresses:  # one commit each, as sixty requests would do
            with app.app_context():
                note(address)
                db.session.commit()
    finally:
        for thread in [t for t in threading.enumerate() if t.name == "outbox-attempt"]:
            thread.join(60)
        stop.set()
        racer.join(180)
    with app.app_context():
        sending.send_due(retry_now=True)  # whatever the background attempts left (they may skip when busy)
    assert _received(smtp) == Counter({a: 1 for a in addresses})
    assert _statuses(app) == Counter({MailStatus.SENT: 60})
