"""The outbox sender: claim due messages in batches, send each batch over one connection, mark each.

The same technique as the newsletter (``newsletter/sending.py``, ``claims.py``):

1. A batch is claimed under one write lock (``database.exclusive("outbox")``): rows go from
   ``waiting`` to ``sending`` with this sender's id, so two senders, or the background attempt
   and the scheduler, never hold the same row.
2. Each message is marked ``sent`` in its own small transaction after the server accepted it, while
   the server answers the next message's first command and before that message's ``DATA`` (see
   ``send_batch``): at most one message is ever accepted and not yet marked.
3. A temporary failure (no connection, timeout, 4xx) puts the row back to ``waiting`` with a
   growing delay (1, 5, 15, 60 minutes, then hourly) until it has waited two days; a permanent
   one (5xx) marks it ``failed`` with the server's answer, for staff to see.
4. Rows left ``sending`` by a sender that died are given back (``claims.release_abandoned``).
5. A message queued as a recipe (``recipes``) is written before the claim, and never claimed unwritten.

A planned stop (SIGTERM, ``claims.stopping``) ends a pass between two messages: the message on the
wire is finished and marked, the rest of the claimed rows go back to ``waiting`` at once. Only a hard
kill (``kill -9``, power loss) at the very instant after the server accepted a message, before ``sent``
was written, sends that one message again: a rare duplicate rather than a lost message.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from flask import Flask, current_app, request
from sqlalchemy import bindparam, delete, func, select, update

from ...core import audit
from ...core.database import begin_write, exclusive
from ...core.extensions import db
from ...core.models_base import utcnow
from ...jobs import claims
from .. import transport
from . import recipes
from .models import MailStatus, OutboxMessage

log = logging.getLogger(__name__)

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
class PassResult:
    """What one pass did; ``unreachable`` holds the connection error when the server could not be reached."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unreachable: str = ""
    errors: list[str] = field(default_factory=list)


def release_abandoned() -> int:
    return claims.release_abandoned(OutboxMessage, claimed=MailStatus.SENDING, free=MailStatus.WAITING)


def claim(sender: str, *, ids: list[int] | None = None, due_by: datetime | None = None,
          size: int | None = None) -> list[int]:
    """Take up to ``size`` waiting messages due by ``due_by`` (or those of ``ids`` still waiting) for ``sender``."""
    size = size or current_app.config["MAIL_BATCH_SIZE"]
    exclusive("outbox")
    query = select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.WAITING, OutboxMessage.recipe.is_(None))
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


def _set(row_id: int, sender: str, **values) -> None:  # noqa: ANN003
    claims.set_claimed(OutboxMessage, row_id, sender, while_status=MailStatus.SENDING, **values)


def _mark_sent(message_id: int, sender: str) -> None:
    # The body is no longer needed: keep only who, what and when.
    _set(message_id, sender, status=MailStatus.SENT, sent_at=utcnow(), message=b"", last_error="",
         claimed_by=None, claimed_at=None)


def _mark_failed(message_id: int, sender: str, tries: int, error: Exception) -> None:
    _set(message_id, sender, status=MailStatus.FAILED, tries=tries, last_error=transport.describe(error),
         claimed_by=None, claimed_at=None)


def _retry_later(message_id: int, sender: str, tries: int, error: Exception) -> bool:
    """Back to waiting with a longer delay; after two days of trying, failed. True if it will be retried."""
    tries += 1
    if tries >= MAX_TRIES:
        _mark_failed(message_id, sender, tries, error)
        return False
    _set(message_id, sender, status=MailStatus.WAITING, tries=tries, next_try_at=utcnow() + retry_delay(tries),
         last_error=transport.describe(error), claimed_by=None, claimed_at=None)
    return True


def _claimed_rows(ids: list[int], sender: str) -> list:
    rows = list(db.session.execute(select(OutboxMessage.id, OutboxMessage.tries, OutboxMessage.recipient,
                                          OutboxMessage.message)
                                   .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == sender)
                                   .order_by(OutboxMessage.id)).all())
    db.session.commit()
    return rows


def _give_back(rows: list, sender: str) -> None:
    """A planned stop: the rest of the batch waits for the next pass, no try counted."""
    claims.give_back(OutboxMessage, [row.id for row in rows], sender,
                     claimed=MailStatus.SENDING, free=MailStatus.WAITING)


def _put_back(rows: list, sender: str, error: Exception, result: PassResult) -> None:
    """The connection is gone (or never came): nothing of these was accepted; all of it waits for later."""
    result.errors.append(transport.describe(error))
    for row in rows:
        if _retry_later(row.id, sender, row.tries, error):
            result.retrying += 1
        else:
            result.failed += 1


def send_batch(ids: list[int], sender: str, result: PassResult, line: transport.PassConnection) -> None:
    """Send one claimed batch over the pass's connection. When there is no connection, or it fails, what
    was not accepted is put back for later and ``line`` is marked broken (the pass ends).

    A message the server accepted is marked sent while the server answers the next message's first
    command (``transport.SMTPConnection.send_raw``), before that message's ``DATA``: at most one accepted
    message is ever unmarked. The batch's last one is marked when the batch ends, and so is the one
    on the wire when the process is asked to stop (``claims.stopping``), which gives the rest back."""
    remaining = _claimed_rows(ids, sender)
    mark = None  # the mark of the message accepted last, not yet written
    try:
        connection = line.get()
        while remaining:
            if claims.stopping():
                _give_back(remaining, sender)
                break
            row = remaining[0]
            previous, mark = mark, None
            try:
                connection.send_raw(row.message, row.recipient, while_server_answers=previous)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                result.errors.append(transport.describe(error))
                if not transport.is_temporary(error):
                    _mark_failed(row.id, sender, row.tries + 1, error)
                    result.failed += 1
                elif _retry_later(row.id, sender, row.tries, error):
                    result.retrying += 1
                else:
                    result.failed += 1
                _reset_if_needed(connection)
            except (smtplib.SMTPException, OSError, transport.WorkWhileServerAnswersFailed):
                raise  # the connection itself failed (see below), or the mark before this message
            except Exception as error:  # noqa: BLE001 - this one message cannot be sent (e.g. an address
                # SMTP cannot carry): it fails alone instead of blocking every pass behind it
                log.exception("outbox message %s cannot be sent", row.id)
                result.errors.append(transport.describe(error))
                _mark_failed(row.id, sender, row.tries + 1, error)
                result.failed += 1
                _reset_if_needed(connection)
            else:
                mark = partial(_mark_sent, row.id, sender)
                result.sent += 1
            remaining.pop(0)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("mail batch stopped: %s", error)
        if not line.connected:
            result.unreachable = transport.describe(error)
        _put_back(remaining, sender, error, result)
        line.broken = True
    finally:
        if mark is not None:
            mark()


def _reset_if_needed(connection) -> None:  # noqa: ANN001
    # After a refused message the SMTP dialogue is reset so the next one starts clean.
    rset = getattr(connection, "rset", None)
    if rset is not None:
        try:
            rset()
        except smtplib.SMTPException:
            pass


def _send_batches(batches: Iterator[list[int]], sender: str, result: PassResult) -> None:
    """Claimed batches one after another over one connection, until none is left or the connection fails
    (a server that is down is not tried again until the next pass)."""
    with transport.PassConnection() as line, claims.mark_connection():
        for ids in batches:
            send_batch(ids, sender, result, line)
            if line.broken:
                break


def send_due(*, retry_now: bool = False, max_batches: int | None = None) -> PassResult:
    """One pass of the sender: batch after batch over one connection until nothing due is left."""
    sender = claims.worker_id()
    result = PassResult()
    if claims.stopping():
        return result
    release_abandoned()
    started = utcnow()
    if retry_now:
        _due_now(started)
    # No more than the pass may send: a pass of a few batches does not write a whole backlog first.
    _write_recipes(limit=max_batches * current_app.config["MAIL_BATCH_SIZE"] if max_batches else None)

    def batches() -> Iterator[list[int]]:
        count = 0
        while (max_batches is None or count < max_batches) and not claims.stopping():
            # Only what was due when the pass began: a message put back during the pass waits for the next.
            ids = claim(sender, due_by=started)
            if not ids:
                return
            yield ids
            count += 1

    _send_batches(batches(), sender, result)
    return result


def _write_recipes(ids: list[int] | None = None, limit: int | None = None) -> None:
    """The waiting recipes written (``recipes``); if that fails, the messages already written still go."""
    try:
        recipes.write_waiting(ids, limit=limit)
    except Exception:  # noqa: BLE001 - logged; the recipes wait for the next pass
        log.exception("queued messages could not be written; they wait for the next pass")
        db.session.rollback()


def send_now(ids: list[int]) -> PassResult:
    """Try just these messages at once (if still waiting): the attempt right after a commit."""
    sender = claims.worker_id()
    result = PassResult()
    _write_recipes(ids)
    claimed = claim(sender, ids=ids, size=len(ids))
    _send_batches(iter([claimed] if claimed else []), sender, result)
    return result


def _due_now(moment: datetime) -> None:
    begin_write()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.status == MailStatus.WAITING,
                                                   OutboxMessage.next_try_at > moment).values(next_try_at=moment))
    db.session.commit()


def retry(message_ids: list[int]) -> int:
    """Staff's "try again now": failed or waiting messages become due at once, with a fresh count of tries."""
    begin_write()
    changed = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id.in_(message_ids), OutboxMessage.status.in_([MailStatus.FAILED, MailStatus.WAITING]))
        .values(status=MailStatus.WAITING, tries=0, next_try_at=utcnow())).rowcount
    attempt_after_commit(message_ids)
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids))):
        audit.record("retried", message, message.recipient)
    db.session.commit()
    return changed


def prune() -> int:
    """Delete sent and failed messages older than ``MAIL_RETENTION_DAYS``."""
    begin_write()
    cutoff = utcnow() - timedelta(days=current_app.config["MAIL_RETENTION_DAYS"])
    deleted = db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.status.in_([MailStatus.SENT, MailStatus.FAILED]), OutboxMessage.created_at < cutoff)).rowcount
    db.session.commit()
    return deleted


def counts() -> dict[str, int]:
    rows = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return {"waiting": rows.get(MailStatus.WAITING, 0) + rows.get(MailStatus.SENDING, 0),
            "sent": rows.get(MailStatus.SENT, 0), "failed": rows.get(MailStatus.FAILED, 0)}


def needs_attention(hours: int = 1) -> dict[str, int]:
    """For the dashboard: how many failed, and how many have waited longer than ``hours``."""
    old = utcnow() - timedelta(hours=hours)
    failed = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                               .where(OutboxMessage.status == MailStatus.FAILED)) or 0
    stuck = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status.in_([MailStatus.WAITING, MailStatus.SENDING]), OutboxMessage.created_at < old)) or 0
    return {"failed": failed, "stuck": stuck}


# --- the attempt right after a commit ---------------------------------------------------------

_PENDING = "outbox_attempt"
_COUNTED = "forum.outbox_counted"
QUIET_WAIT = 5.0  # seconds the attempt lets this process's requests go first, at most
QUIET_GAP = 0.05  # seconds without a request in this process that count as quiet (not a gap in a burst)


def attempt_after_commit(ids) -> None:  # noqa: ANN001
    """Ask for these messages to be tried right after the current transaction commits."""
    db.session.info.setdefault(_PENDING, set()).update(ids)


def collect_new(session, flush_context) -> None:  # noqa: ANN001 - SQLAlchemy "after_flush"
    new = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if new:
        session.info.setdefault(_PENDING, set()).update(new)


def forget(session, *args) -> None:  # noqa: ANN001, ANN002 - SQLAlchemy "after_rollback"
    session.info.pop(_PENDING, None)


def start_attempt(session) -> None:  # noqa: ANN001 - SQLAlchemy "after_commit"
    ids = sorted(session.info.pop(_PENDING, ()))
    if not ids:
        return
    app = current_app._get_current_object()
    mode = app.config["MAIL_AFTER_COMMIT"]
    if mode == "off":
        return
    if mode == "inline":
        _attempt(app, ids)
        return
    attempts(app).add(ids)


class Attempts:
    """The background attempts of one app in this process.

    One thread at a time sends every message committed here since it last looked, together, over one
    connection (two hundred registrations in a minute make a few batches, not two hundred threads,
    claims and connections). It lets the requests this process is answering go first, for up to
    ``QUIET_WAIT`` seconds: a person waiting for a page matters more than an email arriving a second
    sooner. Quiet means no request for ``QUIET_GAP``: a sync worker in a rush is between two requests
    for a moment after each one, and writing emails then would hold up the next. Whatever it cannot send
    is left to the scheduler's sender.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._waiting: set[int] = set()
        self._running = False
        self._requests = 0
        self._last_request = 0.0  # time.monotonic() when this process last answered a request

    # Only a request this counted is counted out: teardown also runs for a request whose earlier
    # before_request stopped it (a failed CSRF check) and for the test request contexts that build
    # links in the scheduler.
    def request_started(self) -> None:
        request.environ[_COUNTED] = True
        with self._lock:
            self._requests += 1

    def request_ended(self, _error: BaseException | None = None) -> None:
        if request.environ.pop(_COUNTED, False):
            with self._lock:
                self._requests -= 1
                self._last_request = time.monotonic()

    def _busy(self) -> bool:
        return self._requests > 0 or time.monotonic() - self._last_request < QUIET_GAP

    def add(self, ids: list[int]) -> None:
        with self._lock:
            self._waiting.update(ids)
            if self._running:
                return  # the running thread takes these too
            self._running = True
        try:
            threading.Thread(target=self._run, name="outbox-attempt").start()
        except RuntimeError:  # the interpreter is shutting down: the sender takes them
            with self._lock:
                self._running = False

    def _run(self) -> None:
        try:
            while True:
                deadline = time.monotonic() + QUIET_WAIT
                while self._busy() and time.monotonic() < deadline:
                    time.sleep(0.01)
                with self._lock:
                    ids = sorted(self._waiting)
                    self._waiting.clear()
                    if not ids or claims.stopping():  # a worker's planned stop: these wait for the sender
                        self._running = False
                        return
                _attempt(self.app, ids)
        except BaseException:
            # Never leave this process without attempts: the next commit starts a new thread.
            with self._lock:
                self._running = False
            raise


def attempts(app: Flask) -> Attempts:
    return app.extensions["outbox_attempts"]


def install_attempts(app: Flask) -> None:
    app.extensions["outbox_attempts"] = state = Attempts(app)
    app.before_request(state.request_started)
    app.teardown_request(state.request_ended)


def _attempt(app: Flask, ids: list[int]) -> None:
    """Runs with its own app context and session; never raises (the request has long been answered)."""
    with app.app_context():
        try:
            send_now(ids)
        except Exception:  # noqa: BLE001 - whatever happens, the sender will retry
            log.exception("background mail attempt failed; the sender will retry")
            db.session.rollback()
        finally:
            db.session.remove()
