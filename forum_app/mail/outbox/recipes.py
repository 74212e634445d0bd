"""Messages written when they are sent, not when they are queued.

A request that causes an email normally writes it at once (``outbox.send``): templates, a calendar file,
the MIME structure. For the email a resident waits on, the registration's confirmation, that writing is
a fifth of the registration's work, and two hundred residents scanning a poster's QR code at once wait
for each other's. Such a request queues a *recipe* instead (``queue``): the recipient, the subject and the
few values the message is written from, saved in the same transaction as the change. The sender writes
it just before it sends (``write_waiting``), after the answer has gone; the bytes are then stored, so a
message tried again is the same message (its ``Message-ID`` too). django-post_office calls this
``render_on_delivery``.

A domain registers the writer of each kind of recipe (``writer``); the outbox knows no domain. A writer
gets the recipe's values and returns the message, or ``None`` when there is nothing to send any more (the
registration was cancelled or erased meanwhile): then the row is deleted. A writer that fails marks its
row failed with the error, for staff to see and try again once fixed (the recipe stays); the other
messages go on. A database error is not the message's fault: the pass stops and everything stays waiting.

Two senders may write the same recipe at once: the first to store it wins (storing is conditional on
the recipe still being there and the row still waiting), the other's work is dropped. The sender never
claims a row whose recipe is not written yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from email.message import Message

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from ...core.database import begin_read, begin_write
from ...core.extensions import db
from .. import compose, transport
from .models import MailStatus, OutboxMessage

log = logging.getLogger(__name__)

Writer = Callable[[dict], "Message | None"]
_writers: dict[str, Writer] = {}


def writer(kind: str) -> Callable[[Writer], Writer]:
    """Register the function that writes recipes of ``kind`` (a decorator)."""
    def register(function: Writer) -> Writer:
        _writers[kind] = function
        return function
    return register


def queue(recipient: str, subject: str, kind: str, **values) -> None:  # noqa: ANN003
    """Put a message to be written later into the outbox, as part of the current transaction.
    ``values`` must be JSON (ids, not objects): the writer reads what it needs when it writes."""
    if kind not in _writers:
        raise LookupError(f"no writer for {kind!r} recipes")
    db.session.add(OutboxMessage.waiting(recipient, subject, recipe={"kind": kind, **values}))


def _write(recipe: dict) -> compose.StoredMessage | None:
    message = _writers[recipe["kind"]](recipe)
    return None if message is None else compose.stored_message(message)


def write_waiting(ids: list[int] | None = None, *, limit: int | None = None) -> int:
    """Write the waiting recipes (those of ``ids``, or all of them; at most ``limit``), a batch at a time: each
    batch is read and written without any lock, then stored in one short write transaction. Returns how many
    were stored."""
    size = current_app.config["MAIL_BATCH_SIZE"]
    table = OutboxMessage.__table__
    waiting = (table.c.recipe.is_not(None), table.c.status == MailStatus.WAITING)
    stored, after, left = 0, 0, limit
    while left is None or left > 0:
        begin_read()
        query = select(table.c.id, table.c.recipe).where(*waiting, table.c.id > after)
        if ids is not None:
            query = query.where(table.c.id.in_(ids))
        rows = db.session.execute(query.order_by(table.c.id).limit(size if left is None else min(size, left))).all()
        if not rows:
            break
        after = rows[-1].id
        left = None if left is None else left - len(rows)
        written: list[tuple[int, compose.StoredMessage | None]] = []
        failed: list[tuple[int, Exception]] = []
        for row in rows:
            try:
                written.append((row.id, _write(row.recipe)))
            except SQLAlchemyError:
                raise  # the database, not this message: everything stays waiting for the next pass
            except Exception as error:  # noqa: BLE001 - this one message cannot be written; the others go on
                log.exception("outbox message %s cannot be written", row.id)
                failed.append((row.id, error))
        db.session.rollback()  # whatever a writer may have left in the session is not ours to save
        begin_write()
        for row_id, ready in written:
            this = (table.c.id == row_id, *waiting)
            if ready is None:
                db.session.execute(delete(table).where(*this))
                continue
            stored += db.session.execute(update(table).where(*this).values(
                recipient=ready.recipient, subject=ready.subject, message=ready.raw, recipe=None)).rowcount
        for row_id, error in failed:
            db.session.execute(update(table).where(table.c.id == row_id, *waiting).values(
                status=MailStatus.FAILED, tries=table.c.tries + 1,
                last_error=f"could not be written: {transport.describe(error)}"[:500]))
        db.session.commit()
    db.session.rollback()
    return stored
