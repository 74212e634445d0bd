"""Putting a message into the outbox: a row written in the transaction of the change that causes it."""

from __future__ import annotations

from email.message import Message

from ...core.extensions import db
from .models import OutboxMessage


def send(message: Message) -> None:
    """Put ``message`` into the outbox as part of the current transaction (commit it with the change)."""
    db.session.add(OutboxMessage.of(message))
