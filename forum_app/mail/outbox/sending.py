"""The outbox's sender: every email and SMS, claimed in batches, written, sent and marked by the one sender
(``mail.sender``, which tells the whole story). This module says how outbox rows are claimed and marked.

``send_due`` is the scheduler's pass (``flask mail send-due``); ``send_now`` the attempt right after a
commit (``attempts``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from ...core.database import begin_write, exclusive
from ...core.extensions import db
from ...core.models_base import utcnow
from ...core.tokens import seal_bytes, unseal_bytes
from ...jobs import claims
from .. import sender as one_sender
from . import recipes
from .models import MailStatus, OutboxMessage

log = logging.getLogger(__name__)


def release_abandoned() -> int:
    return claims.release_abandoned(OutboxMessage, claimed=MailStatus.SENDING, free=MailStatus.WAITING)


def claim(sender: str, *, ids: list[int] | None = None, due_by: datetime | None = None,
          size: int | None = None) -> list[int]:
    """Take up to ``size`` waiting messages due by ``due_by`` (or those of ``ids`` still waiting) for ``sender``."""
    size = size or current_app.config["MAIL_BATCH_SIZE"]
    exclusive("outbox")
    query = select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.WAITING)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    if due_by is not None:
        query = query.where(OutboxMessage.next_try_at <= due_by)
    # In the order of the (status, next_try_at) index, so the database reads one batch of it, however many
    # sent messages are kept (MAIL_RETENTION_DAYS).
    found = list(db.session.scalars(query.order_by(OutboxMessage.next_try_at, OutboxMessage.id).limit(size)))
    if found:
        # The ids as one list parameter: a statement compiled once, not one with a parameter per id.
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(bindparam("ids", expanding=True)),
                                                       OutboxMessage.status == MailStatus.WAITING)
                           .values(status=MailStatus.SENDING, claimed_by=sender, claimed_at=utcnow())
                           .execution_options(synchronize_session=False), {"ids": found})
    db.session.commit()
    return found


def _kept(channel: str, payload: bytes | str) -> bytes:
    return seal_bytes(payload.encode("utf-8") if isinstance(payload, str) else payload)


def _stored(channel: str, message: bytes) -> bytes | str:
    """A message kept for its next try; one queued before messages were sealed is taken as it is."""
    data = unseal_bytes(message)
    data = message if data is None else data
    return data.decode("utf-8") if channel == recipes.SMS else data


class OutboxSource:
    """The outbox's rows for the one sender."""

    def write(self, ids: list[int], sender: str) -> list[one_sender.Item]:
        rows = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.tries, OutboxMessage.channel, OutboxMessage.recipient,
                   OutboxMessage.message, OutboxMessage.recipe)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == sender,
                   OutboxMessage.status == MailStatus.SENDING)
            .order_by(OutboxMessage.id)).all()
        items = []
        for row in rows:
            item = one_sender.Item(row.id, row.tries, row.channel, row.recipient)
            try:
                item.payload = _stored(row.channel, row.message) if row.message else recipes.write(row.recipe, row.channel)
            except SQLAlchemyError:
                # The database, not this message: it waits for the next pass, no try counted.
                log.exception("outbox message %s not written: the database failed", row.id)
                db.session.rollback()
                item.postponed = True
            except Exception as error:  # noqa: BLE001 - this one message cannot be written; the others go on
                log.exception("outbox message %s cannot be written", row.id)
                item.error = error
            items.append(item)
        db.session.rollback()  # the read ends here, and whatever a writer left in the session is not ours to save
        return items

    @staticmethod
    def _set(item: one_sender.Item, sender: str, **values) -> None:  # noqa: ANN003
        claims.set_claimed(OutboxMessage, item.id, sender, while_status=MailStatus.SENDING,
                           claimed_by=None, claimed_at=None, **values)

    def sent(self, item: one_sender.Item, sender: str) -> None:
        # Neither the message nor what it was written from is needed any more: only who, what and when.
        self._set(item, sender, status=MailStatus.SENT, sent_at=utcnow(), message=b"", recipe=None, last_error="")

    def retry_later(self, item: one_sender.Item, sender: str, tries: int, error: str, wait: timedelta) -> None:
        self._set(item, sender, status=MailStatus.WAITING, tries=tries, next_try_at=utcnow() + wait,
                  last_error=error[:500], message=_kept(item.channel, item.payload) if item.payload else b"")

    def failed(self, item: one_sender.Item, sender: str, tries: int, error: str) -> None:
        # The recipe stays: staff's "try again" writes the message afresh (a fixed writer, a corrected address),
        # unless a written message waits (sealed) from an earlier try: that one goes again.
        self._set(item, sender, status=MailStatus.FAILED, tries=tries, last_error=error[:500])

    def dropped(self, item: one_sender.Item, sender: str) -> None:
        begin_write()
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == item.id, OutboxMessage.claimed_by == sender))
        db.session.commit()

    def give_back(self, ids: list[int], sender: str) -> None:
        claims.give_back(OutboxMessage, ids, sender, claimed=MailStatus.SENDING, free=MailStatus.WAITING)


SOURCE = OutboxSource()


def send_due(*, retry_now: bool = False, max_batches: int | None = None) -> one_sender.PassResult:
    """One pass of the sender: batch after batch until nothing due is left (or every line failed)."""
    sender = claims.worker_id()
    result = one_sender.PassResult()
    if claims.stopping():
        return result
    release_abandoned()
    started = utcnow()
    if retry_now:
        _due_now(started)

    def batches() -> Iterator[list[int]]:
        count = 0
        while (max_batches is None or count < max_batches) and not claims.stopping():
            # Only what was due when the pass began: a message put back during the pass waits for the next.
            ids = claim(sender, due_by=started)
            if not ids:
                return
            yield ids
            count += 1

    one_sender.send_batches(SOURCE, batches(), sender, result)
    return result


def send_now(ids: list[int]) -> one_sender.PassResult:
    """Try just these messages at once (if still waiting): the attempt right after a commit."""
    sender = claims.worker_id()
    result = one_sender.PassResult()
    claimed = claim(sender, ids=ids, size=len(ids), due_by=utcnow())  # not a digest queued for later
    one_sender.send_batches(SOURCE, iter([claimed] if claimed else []), sender, result)
    return result


def _due_now(moment: datetime) -> None:
    begin_write()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.status == MailStatus.WAITING,
                                                   OutboxMessage.next_try_at > moment).values(next_try_at=moment))
    db.session.commit()
