"""Headers that tell mail programs what a message is: every message is automatic (RFC 3834), so no
mailbox answers it; the newsletter is a list (List-Id, one-click unsubscribe, Precedence: bulk), and its
unsubscribe link is https whenever the site runs behind TLS."""

from email import message_from_bytes, policy

import config
from forum_app import create_app
from forum_app.core.extensions import db
from forum_app.newsletter import sending
from forum_app.newsletter.services import subscribe

from ..conftest import _test_config


def _strict(message) -> object:  # noqa: ANN001 - a message from the test's SMTP server
    """The message as a strict parser reads it (every header valid)."""
    return message_from_bytes(message.as_bytes(), policy=policy.strict)


def test_the_newsletter_is_an_automatic_message_to_a_list(app, subscribers, due_issue, smtp):
    subscribers(2)
    due_issue()
    with app.app_context():
        sending.send_due()
    for message in map(_strict, smtp.messages):
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["List-Id"] == "<newsletter.example.org>"  # under the sender's domain
        assert message["Precedence"] == "bulk"
        assert message["List-Unsubscribe"].startswith("<http://localhost/")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_confirmation_is_automatic_but_not_a_list(app, smtp):
    with app.app_context():
        subscribe("amal@example.org", "ar")
    [message] = map(_strict, smtp.to("amal@example.org"))
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Id"] is None and message["Precedence"] is None


def test_behind_tls_every_link_is_https_even_if_base_url_says_http(tmp_path):
    settings = {"SECRET_KEY": "k", "BASE_URL": "http://forum.example.se/migrantforum"}
    assert config.load(str(tmp_path), settings)["BASE_URL"] == "http://forum.example.se/migrantforum"
    behind_tls = config.load(str(tmp_path), {**settings, "SESSION_COOKIE_SECURE": True})
    assert behind_tls["BASE_URL"] == "https://forum.example.se/migrantforum"
    assert behind_tls["PREFERRED_URL_SCHEME"] == "https"


def test_the_unsubscribe_link_is_https_behind_tls(app, database_url, tmp_path, subscribers, due_issue, smtp):
    subscribers(1)
    due_issue()
    production = create_app({**_test_config(database_url, tmp_path / "tls"), "SESSION_COOKIE_SECURE": True,
                             "MAIL_SERVER": app.config["MAIL_SERVER"], "MAIL_PORT": app.config["MAIL_PORT"]})
    with production.app_context():
        sending.send_due()
        db.session.remove()
        db.engine.dispose()
    [message] = map(_strict, smtp.messages)
    assert message["List-Unsubscribe"].startswith("<https://localhost/sv/newsletter/unsubscribe/")
    assert "https://localhost/sv/newsletter/unsubscribe/" in message.get_body(("plain",)).get_content()
