"""A planned stop in the middle of an outbox pass (SIGTERM: ``systemctl stop`` or ``restart``, a deploy)
finishes the message on the wire, gives the rest back and ends with status 0: in the one-shot command,
in the scheduler and in a gunicorn worker's background attempt. The next pass sends the rest, and every
message leaves exactly once."""

import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.mail.outbox.models import MailStatus, OutboxMessage
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import wait_until
from ..pg import free_port

pytestmark = pytest.mark.slow  # real processes and a few hundred messages

ROOT = Path(__file__).resolve().parents[2]


def _statuses(app) -> Counter:  # noqa: ANN001
    with app.app_context():
        return Counter(dict(db.session.execute(select(OutboxMessage.status, func.count())
                                               .group_by(OutboxMessage.status)).all()))


def _stopped_mid_pass_then_finished(app, smtp, flask_process, addresses: list[str]) -> None:  # noqa: ANN001
    """After the stop: every message the server accepted is marked sent, the rest wait (none is left
    claimed); a second pass then sends the rest, each address getting its message once."""
    stopped_at = len(smtp.messages)
    assert 0 < stopped_at < len(addresses)  # it did stop in the middle
    assert _statuses(app) == Counter({MailStatus.SENT: stopped_at, MailStatus.WAITING: len(addresses) - stopped_at})
    again = flask_process("mail", "send-due")
    assert again.wait(timeout=120) == 0, again.log.read_text()
    assert Counter(m["To"] for m in smtp.messages) == Counter({address: 1 for address in addresses})
    assert _statuses(app) == Counter({MailStatus.SENT: len(addresses)})


@pytest.mark.parametrize("command", [("mail", "send-due"), ("scheduler",)], ids=["send-due", "scheduler"])
def test_sigterm_mid_pass_sends_each_message_exactly_once(app, queue, no_attempt, smtp, flask_process, command):
    addresses = [f"r{n}@example.org" for n in range(300)]
    queue(addresses)
    smtp.delay = 0.005  # a few milliseconds a message, as a real relay: the pass lasts seconds
    sender = flask_process(*command, MAIL_BATCH_SIZE="50")
    wait_until(lambda: len(smtp.messages) >= 40, what="the pass to begin")
    sender.send_signal(signal.SIGTERM)
    assert sender.wait(timeout=120) == 0, sender.log.read_text()
    _stopped_mid_pass_then_finished(app, smtp, flask_process, addresses)


def _open_as_staff(base: str, email: str, password: str):  # noqa: ANN201 - a urllib opener with the session
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    _post(opener, f"{base}/en/login", {"email": email, "password": password})
    return opener


def _post(opener, url: str, data: dict) -> None:  # noqa: ANN001
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    opener.open(url, data=urllib.parse.urlencode({**data, "csrf_token": token}).encode(), timeout=120)


def test_a_gunicorn_worker_stopped_mid_attempt_sends_each_message_exactly_once(app, database_url, tmp_path, smtp,
                                                                                make_user, flask_process):
    """Cancelling a forum commits one email to each of its 300 registrants; the worker's background attempt
    sends them after the answer. gunicorn (with deploy/gunicorn.conf.py) is stopped as systemd stops it."""
    with app.app_context():
        forum = factories.forum(capacity=300)
        db.session.add_all(Registration(forum_id=forum.id, name=f"Person {n}", email=f"p{n}@example.org",
                                        language="sv", status=RegistrationStatus.CONFIRMED) for n in range(300))
        db.session.commit()
        forum_id = forum.id
        db.engine.dispose()
    staff = make_user("staff@example.org", "admin")
    smtp.delay = 0.005
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FORUM_INSTANCE_PATH": str(tmp_path),
           "SECRET_KEY": app.config["SECRET_KEY"], "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(app.config["MAIL_PORT"]),
           "MAIL_AFTER_COMMIT": "background", "GUNICORN_WORKERS": "1", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_LOG_LEVEL": "warning"}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--config",
                                   str(ROOT / "deploy" / "gunicorn.conf.py")], cwd=ROOT, env=env, stdout=output,
                                  stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"

        def answering() -> bool:
            try:
                return urllib.request.urlopen(base + "/healthz", timeout=1).status == 200
            except OSError:
                return False

        wait_until(answering, what="gunicorn to answer")
        opener = _open_as_staff(base, staff.email, "correct horse battery")
        _post(opener, f"{base}/en/admin/forums/{forum_id}/cancel", {"confirm": "y"})
        wait_until(lambda: len(smtp.messages) >= 40, what="the background attempt to send")
        server.send_signal(signal.SIGTERM)  # what systemctl stop/restart sends (KillMode=mixed: the master)
        assert server.wait(timeout=120) == 0, log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "SIGKILL" not in log.read_text()  # the worker ended by itself, within graceful_timeout
    _stopped_mid_pass_then_finished(app, smtp, flask_process, [f"p{n}@example.org" for n in range(300)])
