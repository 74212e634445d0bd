"""What a queued message is: a *recipe* (its kind and the few values it is written from), written by the
sender just before it goes (``mail.sender``), not by the request that queued it.

A change that concerns a person queues a recipe in its own transaction (:func:`queue`): the recipient, the
channel (email or SMS), a subject for staff's queue page, and JSON values (ids, not objects). The request
spends no time on templates, calendar files or MIME, and holds no lock for them; the message says what is
true when it goes (a forum moved meanwhile is sent with its new time; a registration cancelled meanwhile
gets nothing); and no private link is stored in the queue in the clear. django-post_office calls this
``render_on_delivery``.

A domain registers the writer of each kind (:func:`writer`); the outbox knows no domain. A writer gets the
recipe's values, with ``channel`` added, and returns the message (an ``email.message.Message`` for email,
the text for SMS), or ``None`` when there is nothing to send any more: then the row is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.message import Message

from sqlalchemy import select

from ...core.extensions import db
from .. import compose
from .models import MailStatus, OutboxMessage

EMAIL, SMS = "email", "sms"

Writer = Callable[[dict], "Message | str | None"]
_writers: dict[str, Writer] = {}


def writer(kind: str) -> Callable[[Writer], Writer]:
    """Register the function that writes recipes of ``kind`` (a decorator)."""
    def register(function: Writer) -> Writer:
        _writers[kind] = function
        return function
    return register


def queue(recipient: str, subject: str, kind: str, /, *, channel: str = EMAIL, due_at: datetime | None = None,
          **values) -> OutboxMessage:  # noqa: ANN003
    """Put a message to be written when it is sent into the outbox, as part of the current transaction.
    ``values`` must be JSON (ids, not objects): the writer reads what it needs when it writes. ``due_at``: not
    before then (a digest that gathers a day's news), else at once."""
    if kind not in _writers:
        raise LookupError(f"no writer for {kind!r} recipes")
    if channel not in (EMAIL, SMS):
        raise ValueError(f"no channel {channel!r}")
    row = OutboxMessage.waiting(recipient, compose.header_text(subject), channel=channel,
                                recipe={"kind": kind, **values})
    if due_at is not None:
        row.next_try_at = due_at
    db.session.add(row)
    return row


def waiting(recipient: str, kind: str) -> list[dict]:
    """The recipes of ``kind`` still waiting for their first try to ``recipient`` (to add to one rather than
    queue a second: a digest)."""
    rows = db.session.scalars(select(OutboxMessage.recipe).where(
        OutboxMessage.recipient == recipient, OutboxMessage.status == MailStatus.WAITING,
        OutboxMessage.tries == 0, OutboxMessage.recipe.is_not(None)))
    return [recipe for recipe in rows if recipe.get("kind") == kind]


class NothingToWrite(LookupError):
    """A row with neither a recipe nor a written message (none is made; a database edited by hand)."""


def write(recipe: dict | None, channel: str) -> bytes | str | None:
    """The message of ``recipe`` as it goes: an email's bytes, an SMS's text, or None (nothing to send)."""
    if not recipe:
        raise NothingToWrite("nothing to write")
    kind = recipe.get("kind")
    if kind not in _writers:
        raise LookupError(f"no writer for {kind!r} recipes")
    message = _writers[kind]({**recipe, "channel": channel})
    if message is None:
        return None
    if channel == SMS:
        if not isinstance(message, str):
            raise TypeError(f"the writer of {kind!r} gave no text for an SMS")
        return message
    if not isinstance(message, Message):
        raise TypeError(f"the writer of {kind!r} gave no email")
    return compose.as_smtp_bytes(message)


def kinds() -> list[str]:
    return sorted(_writers)
