"""The confirmation is written before the forum's lock (``notifications.Confirmation``) and only
picked under it: the message that goes is the one that is true, also when the forum changed meanwhile."""

from datetime import timedelta
from email import message_from_bytes, policy

from sqlalchemy import select

from forum_app.extensions import db
from forum_app.models_base import utcnow
from forum_app.outbox.models import OutboxMessage
from forum_app.registrations.models import Registration, RegistrationStatus
from forum_app.registrations.notifications import Confirmation

from .. import factories


def _unsaved(forum_id: int) -> Registration:
    return Registration(forum_id=forum_id, name="Amina", email="amina@example.org", language="sv",
                        spoken_language="ar", interpretation_language="", children_ages=[], access_needs="",
                        dietary_needs="", diets=[], token_hash="x" * 64)


def _sent_text() -> str:
    """The newest outbox message, read inside the transaction (after the commit it may be sent and emptied)."""
    db.session.flush()
    row = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    message = message_from_bytes(row.message, policy=policy.default)
    return message["Subject"] + "\n" + message.get_body(("plain",)).get_content()


def test_the_message_that_goes_says_the_outcome_decided_under_the_lock(app_ctx):
    forum = factories.forum(capacity=1)
    waiting, confirmed = RegistrationStatus.WAITING, RegistrationStatus.CONFIRMED
    # (what was likely before the lock, what the lock decided): the same, and the edge both ways
    for n, (likely, decided) in enumerate(((waiting, waiting), (confirmed, confirmed), (confirmed, waiting),
                                            (waiting, confirmed))):
        registration = _unsaved(forum.id)
        registration.token_hash = str(n).ljust(64, "x")
        confirmation = Confirmation.prepare(registration, forum, "the-token", likely)
        assert registration.status is None  # nothing decided before the lock
        registration.status = decided
        db.session.add(registration)
        db.session.flush()
        confirmation.send(registration, "the-token")
        text = _sent_text()
        db.session.commit()
        assert ("väntelista" if decided is waiting else "anmäld") in text.lower(), (likely, decided)
        assert "the-token" in text


def test_a_forum_changed_before_the_lock_gets_a_message_written_again(app_ctx):
    forum = factories.forum(capacity=10)
    registration = _unsaved(forum.id)
    confirmation = Confirmation.prepare(registration, forum, "the-token", RegistrationStatus.CONFIRMED)
    forum.venue_name = "Nya salen"
    forum.updated_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    registration.status = RegistrationStatus.CONFIRMED
    db.session.add(registration)
    db.session.flush()
    confirmation.send(registration, "the-token")
    assert "Nya salen" in _sent_text()
