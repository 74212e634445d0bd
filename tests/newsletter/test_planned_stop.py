"""A planned stop in the middle of sending an issue (SIGTERM: ``systemctl stop`` or ``restart``, a deploy)
finishes the message on the wire, gives the rest back and ends with status 0; the next pass sends the
rest, and every subscriber gets the issue exactly once."""

import signal
from collections import Counter

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus

from ..conftest import wait_until

pytestmark = pytest.mark.slow  # real processes and a few hundred messages


def _statuses(app) -> Counter:  # noqa: ANN001
    with app.app_context():
        return Counter(dict(db.session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
                            .all()))


@pytest.mark.parametrize("command", [("newsletter", "send-due"), ("scheduler",)], ids=["send-due", "scheduler"])
def test_sigterm_mid_pass_sends_each_subscriber_the_issue_exactly_once(app, subscribers, due_issue, smtp,
                                                                       flask_process, command):
    emails = subscribers(300)
    issue_id = due_issue()
    smtp.delay = 0.005  # a few milliseconds a message, as a real relay: the pass lasts seconds
    sender = flask_process(*command, NEWSLETTER_BATCH_SIZE="50")
    wait_until(lambda: len(smtp.messages) >= 40, what="the pass to begin")
    sender.send_signal(signal.SIGTERM)
    assert sender.wait(timeout=120) == 0, sender.log.read_text()
    stopped_at = len(smtp.messages)
    assert stopped_at < len(emails)  # it did stop in the middle
    # Every message the server accepted is marked sent; the rest are back in the queue at once (none left
    # claimed for the next pass to wait for or take back).
    assert _statuses(app) == Counter({DeliveryStatus.SENT: stopped_at, DeliveryStatus.WAITING: 300 - stopped_at})

    again = flask_process("newsletter", "send-due")
    assert again.wait(timeout=120) == 0, again.log.read_text()
    assert Counter(m["To"] for m in smtp.messages) == Counter({email: 1 for email in emails})
    assert _statuses(app) == Counter({DeliveryStatus.SENT: 300})
    with app.app_context():
        assert db.session.get(Issue, issue_id).status is IssueStatus.SENT
