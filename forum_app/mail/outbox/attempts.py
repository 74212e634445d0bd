"""The attempt right after a commit: the messages a transaction queued are tried at once, in the
background, so a person hears from us within seconds, not at the scheduler's next minute."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app, request

from ...core.extensions import db
from ...jobs import claims
from .models import OutboxMessage
from .sending import send_now

log = logging.getLogger(__name__)

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

    @property
    def requests_in_flight(self) -> int:
        """The requests this process is answering now (as counted in and out)."""
        return self._requests

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
