"""The one sender of claimed rows: every email and SMS of the outbox, and every newsletter delivery.

A *source* (``mail.outbox.sending.OutboxSource``, ``newsletter.sending.IssueSource``) says how its rows are
claimed, written and marked; this module does the rest, the same way for both:

1. The source claims a batch under its own write lock: rows go from ``waiting`` to ``sending`` with this
   sender's id, so two senders never hold the same row.
2. The batch is **written** now, just before it goes (:meth:`Source.write`): templates, calendar file,
   MIME structure or SMS text, in each person's language, from the data as it is at this moment. A row
   whose reason has gone meanwhile (a cancelled registration) is dropped; a row that cannot be written fails
   alone. The request that queued the row did none of this work.
3. Each message goes over the pass's line for its channel (one SMTP connection, one kept-alive HTTP
   connection to Kannel) and is marked ``sent`` in its own small transaction, for email while the server
   answers the next message's first command: at most one accepted message is ever unmarked.
4. A temporary failure (no connection, a timeout, an SMTP 4xx, Kannel busy) puts the row back to
   ``waiting`` with a growing delay (:func:`retry_delay`) until it has waited two days, keeping the written
   message (:meth:`Source.retry_later`) so the next try sends the same one (its ``Message-ID`` too); a
   refusal (SMTP 5xx, Kannel's 4xx) fails it with the server's answer, for staff to see.
5. Rows left ``sending`` by a sender that died are given back (``jobs.claims.release_abandoned``); a planned
   stop (``claims.stopping``) finishes and marks the message on the wire and gives the rest back at once.

Only a hard kill at the instant after a server accepted a message, before ``sent`` was written, sends that
one message again: a rare duplicate rather than a lost message.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from ..core.extensions import db
from ..jobs import claims
from . import sms, transport

log = logging.getLogger(__name__)

EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)

RETRY_MINUTES = (1, 5, 15, 60)  # then hourly
GIVE_UP_AFTER = timedelta(days=2)


def retry_delay(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed try."""
    return timedelta(minutes=RETRY_MINUTES[min(tries, len(RETRY_MINUTES)) - 1])


def _tries_allowed() -> int:
    """So many tries fit into two days of waiting with the delays above."""
    waited, tries = timedelta(0), 0
    while waited < GIVE_UP_AFTER:
        tries += 1
        waited += retry_delay(tries)
    return tries


MAX_TRIES = _tries_allowed()


@dataclass
class Item:
    """One claimed row, written: ``payload`` is the email's bytes or the SMS's text; None when there is
    nothing to send any more (the row is dropped); ``error`` when it could not be written."""

    id: int
    tries: int
    channel: str
    recipient: str
    payload: bytes | str | None = None
    error: Exception | None = None
    postponed: bool = False  # not written for a reason not its own (the database): back to waiting, untried


@dataclass
class PassResult:
    """What one pass did; ``unreachable`` holds the connection error when a server could not be reached."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0
    unreachable: str = ""
    errors: list[str] = field(default_factory=list)


class Source(Protocol):
    """What the sender needs of the rows it sends. Every mark is one small transaction of its own
    (``claims.set_claimed``), made only while the row is still this sender's."""

    def write(self, ids: list[int], sender: str) -> list[Item]:
        """The claimed rows of ``ids``, written, in the order to send them."""

    def sent(self, item: Item, sender: str) -> None: ...

    def retry_later(self, item: Item, sender: str, tries: int, error: str, wait: timedelta) -> None: ...

    def failed(self, item: Item, sender: str, tries: int, error: str) -> None: ...

    def dropped(self, item: Item, sender: str) -> None: ...

    def give_back(self, ids: list[int], sender: str) -> None: ...


# --- what a failure means ------------------------------------------------------------------------

RETRY, REFUSED, LINE = "retry", "refused", "line"


def outcome(error: Exception) -> str:
    """``RETRY`` this message later, it was ``REFUSED`` for good, or the ``LINE`` itself failed (nothing more
    goes over it in this pass; every message not yet accepted waits for later)."""
    if isinstance(error, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
        return RETRY if transport.is_temporary(error) else REFUSED
    if isinstance(error, (sms.SmsRefused, transport.AddressNotSupported)):
        return REFUSED
    if isinstance(error, (smtplib.SMTPException, OSError, sms.SmsTemporary)):
        return LINE
    return REFUSED  # this one message cannot be sent (a bug in it, not the line's): it fails alone


def describe(error: Exception) -> str:
    if isinstance(error, (sms.SmsRefused, sms.SmsTemporary)):
        return sms.describe(error)
    return transport.describe(error)


# --- the pass's lines, one a channel -------------------------------------------------------------

class Lines:
    """A pass's connections, one a channel, each opened when its first message needs it and closed when
    the pass ends. A line that failed stays broken for the rest of the pass."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._open: dict[str, object] = {}
        self.broken: set[str] = set()
        self.unreachable: dict[str, str] = {}

    def get(self, channel: str):  # noqa: ANN201 - transport.SMTPConnection / MailFolder, or an SMS connection
        if channel not in self._open:
            opener = transport.connection if channel == EMAIL else sms.connection
            self._open[channel] = self._stack.enter_context(opener())
        return self._open[channel]

    def connected(self, channel: str) -> bool:
        return channel in self._open

    def opened(self, channel: str):  # noqa: ANN201
        return self._open.get(channel)

    def all_broken(self) -> bool:
        """Every line this pass opened has failed (and one has)."""
        return bool(self.broken) and self.broken >= set(self._open)

    def __enter__(self) -> "Lines":
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self._stack.close()


def _send_one(lines: Lines, item: Item, mark: Callable[[], None] | None) -> None:
    """Hand ``item`` to its line; ``mark`` (the previous message's) runs exactly once, whatever happens: while
    the server answers (SMTP's first command, Kannel's HTTP request), or before this raises."""
    try:
        connection = lines.get(item.channel)
    except BaseException:
        if mark is not None:
            transport.run_work(mark)
        raise
    if item.channel == EMAIL:
        connection.send_raw(item.payload, item.recipient, while_server_answers=mark)
    else:
        connection.send(item.recipient, item.payload, while_server_answers=mark, reference=str(item.id))


def send_batch(source: Source, ids: list[int], sender: str, lines: Lines, result: PassResult) -> None:
    """Write and send one claimed batch. What was not accepted when a line fails is put back for later.

    A message the server accepted is marked sent while the server answers the next message's first command
    (email), or just before the next message goes (SMS); the batch's last one when the batch ends, and the
    one on the wire when the process is asked to stop (``claims.stopping``), which gives the rest back."""
    try:
        remaining = source.write(ids, sender)
    except SQLAlchemyError:
        db.session.rollback()
        source.give_back(ids, sender)  # the database, not these messages: they wait for the next pass
        raise
    mark = None  # the mark of the message accepted last, not yet written
    try:
        while remaining:
            if claims.stopping():
                source.give_back([item.id for item in remaining], sender)
                break
            item = remaining.pop(0)
            if item.postponed:  # waits a minute (so this pass does not claim it again), no try counted
                source.retry_later(item, sender, item.tries, "not written: the database failed", retry_delay(1))
                result.retrying += 1
                continue
            if item.payload is None and item.error is None:
                source.dropped(item, sender)
                result.dropped += 1
                continue
            if item.error is not None:
                _fail(source, item, sender, item.error, result, prefix="could not be written: ")
                continue
            if item.channel in lines.broken:
                _later(source, item, sender, lines.unreachable.get(item.channel, ""), result)
                continue
            previous, mark = mark, None
            try:
                _send_one(lines, item, previous)
            except transport.WorkWhileServerAnswersFailed:
                remaining.insert(0, item)
                raise  # the mark before this message failed: the database, not the message
            except Exception as error:  # noqa: BLE001 - sorted by what it means for this message and its line
                kind = outcome(error)
                if kind == LINE:
                    log.warning("%s line stopped: %s", item.channel, error)
                    lines.broken.add(item.channel)
                    lines.unreachable.setdefault(item.channel, describe(error))
                    if not lines.connected(item.channel):
                        result.unreachable = describe(error)
                    _later(source, item, sender, describe(error), result)
                elif kind == RETRY:
                    _later(source, item, sender, describe(error), result)
                    _reset(lines, item.channel)
                else:
                    if not isinstance(error, (smtplib.SMTPException, sms.SmsRefused, transport.AddressNotSupported)):
                        log.exception("outgoing message %s cannot be sent", item.id)
                    _fail(source, item, sender, error, result)
                    _reset(lines, item.channel)
            else:
                mark = partial(source.sent, item, sender)
                result.sent += 1
    except BaseException:
        # Whatever stopped the batch (the database while marking, an interrupt): the rest waits, untried.
        if remaining:
            try:
                source.give_back([item.id for item in remaining], sender)
            except SQLAlchemyError:
                log.exception("claimed rows not given back; the lease frees them")
        raise
    finally:
        if mark is not None:
            mark()


def _later(source: Source, item: Item, sender: str, error: str, result: PassResult) -> None:
    tries = item.tries + 1
    result.errors.append(error)
    if tries >= MAX_TRIES:
        source.failed(item, sender, tries, error)
        result.failed += 1
        return
    source.retry_later(item, sender, tries, error, retry_delay(tries))
    result.retrying += 1


def _fail(source: Source, item: Item, sender: str, error: Exception, result: PassResult, prefix: str = "") -> None:
    text = f"{prefix}{describe(error)}"[:500]
    result.errors.append(text)
    source.failed(item, sender, item.tries + 1, text)
    result.failed += 1


def _reset(lines: Lines, channel: str) -> None:
    # After a refused email the SMTP dialogue is reset so the next one starts clean.
    connection = lines.opened(channel)
    rset = getattr(connection, "rset", None)
    if rset is not None:
        try:
            rset()
        except smtplib.SMTPException:
            pass


def send_batches(source: Source, batches: Iterable[list[int]], sender: str, result: PassResult) -> None:
    """Claimed batches one after another over the pass's lines, until none is left or every line used has
    failed (a server that is down is not tried again until the next pass)."""
    with Lines() as lines, claims.mark_connection():
        for ids in batches:
            send_batch(source, ids, sender, lines, result)
            if lines.all_broken():
                break
