"""The one rate-limit table: failed logins, and public actions that send email or add people.

Counted in the database (not in process memory) because several web workers and hosts share the
load; old rows stop counting after their window and are pruned as new ones arrive (by each process at
most once a minute: a rush of registrations need not delete nothing two hundred times). A check that
counts and then records does both under the write lock of its action (``database.exclusive``), like
every other count-then-insert rule, so parallel requests cannot slip past the limit together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import CTE, ColumnElement, Select, String, delete, func, insert, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from .addresses import mailbox
from .database import WRITES, rule
from .extensions import db
from .models_base import UTCDateTime, utcnow


class RateEvent(db.Model):
    __tablename__ = "rate_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class TooMany(Exception):
    message = _l("You have done this many times in a short while. Please wait an hour and try again.")


# action -> (per address of the sender, per email address), each within an hour
LIMITS = {
    "subscribe": (20, 3),
    "follow": (20, 3),
    "resend-link": (20, 3),
    "password-reset": (10, 3),  # "forgot your password?": a link goes out at most 3 times an hour
    "volunteer": (20, 3),
    "propose": (10, 10),  # a question for the year's call (no email address is asked)
}
WINDOW = timedelta(hours=1)
LONGEST_WINDOW = timedelta(days=1)


def count(key: str, window: timedelta = WINDOW) -> int:
    return db.session.scalar(_counting(key, utcnow() - window)) or 0


def _counting(key: str, since: datetime):  # noqa: ANN202 - a Select
    return select(func.count()).select_from(RateEvent).where(RateEvent.key == key, RateEvent.at >= since)


def over(limits: list[tuple[str, int]], window: timedelta = WINDOW) -> bool:
    """True when any ``(key, limit)`` has reached its limit within the window."""
    return any(count(key, window) >= limit for key, limit in limits)


PRUNE_EVERY = 60.0  # seconds between one process's prunes
_pruned_at = -PRUNE_EVERY  # time.monotonic() of this process's last prune


def forget_last_prune() -> None:
    """The next ``hit`` prunes, as a new process's first one does: the test suite runs every test from
    that state, in one process."""
    global _pruned_at
    _pruned_at = -PRUNE_EVERY


def hit(keys: list[str], window: timedelta = WINDOW) -> None:
    """Record one event for each key in the current transaction, and now and then prune what no longer
    counts (in any window: the longest is a day)."""
    if _take_prune_turn():
        db.session.execute(_pruning(window))
    db.session.add_all(RateEvent(key=key) for key in keys)


def _take_prune_turn() -> bool:
    """True at most once every ``PRUNE_EVERY`` seconds in this process, and the turn is taken: the caller
    prunes now. (If its transaction rolls back, the next prune comes a minute later; what it would have
    deleted counts for nothing meanwhile.)"""
    global _pruned_at
    if time.monotonic() - _pruned_at < PRUNE_EVERY:
        return False
    _pruned_at = time.monotonic()
    return True


def _pruning(window: timedelta = WINDOW):  # noqa: ANN202 - a Delete
    """Delete what no longer counts in any window. Rows another transaction is pruning are skipped, not waited
    for (``SKIP LOCKED`` on PostgreSQL; SQLite has one writer at a time): two processes pruning at once, each
    under the lock of its own action or forum, neither waits on the other nor deadlocks with it."""
    old = (select(RateEvent.id).where(RateEvent.at < utcnow() - max(window, LONGEST_WINDOW))
           .with_for_update(skip_locked=True))
    return delete(RateEvent).where(RateEvent.id.in_(old))


def clear(prefix: str) -> None:
    db.session.execute(delete(RateEvent).where(RateEvent.key.startswith(prefix, autoescape=True)))


def client_key() -> str:
    """The client's address, as the configured proxy count reports it (see PROXY_COUNT)."""
    return request.remote_addr or "-"


def check(action: str, email: str = "") -> None:
    """Count one more ``action`` from this request (and to this email); raise TooMany past the limit.

    Commits on its own: the attempt counts even when what follows fails.
    """
    per_ip, per_email = LIMITS[action]
    limits = [(f"{action}:ip:{client_key()}", per_ip)]
    if email:
        limits.append((f"{action}:email:{mailbox(email)}", per_email))
    if not _take(action, limits):
        raise TooMany()


def _take(action: str, limits: list[tuple[str, int]]) -> bool:
    """Count and record one ``action`` under its lock, committed on its own; False past a limit."""
    with rule("rate", action):
        if over(limits):
            return False
        hit([key for key, _limit in limits])
    return True


DAY = LONGEST_WINDOW


def email_allowed(kind: str, address: str, *, counted: int | None = None, recorded: bool = False) -> bool:
    """Whether one more email of ``kind`` may go to ``address`` today, counting it if so.

    For emails a stranger can cause (a registration with someone's address, a newsletter box, a
    follow, a new link): past the limit the email is quietly not sent, and whatever the person did
    is still saved; nobody can flood an inbox through the site. Counted in the caller's transaction
    (``counted``: already counted there, by ``email_count``; ``recorded``: and, when allowed, already
    recorded by the same statement, ``EmailCount.recorded``).
    """
    key = _mail_key(kind, address)
    if (count(key, DAY) if counted is None else counted) >= _emails_a_day():
        return False
    if not recorded:
        hit([key], DAY)
    return True


def _emails_a_day() -> int:
    return current_app.config["EMAILS_PER_ADDRESS_PER_DAY"]


def _mail_key(kind: str, address: str) -> str:
    return f"mail:{kind}:{mailbox(address)}"  # name+1@ and name+2@ reach one inbox: one count


@dataclass(frozen=True)
class EmailCount:
    """The count ``email_allowed`` makes (``today``, a scalar subquery), for a caller that reads it in one
    statement of its own under its lock and passes it on as ``counted``; and on PostgreSQL the record of the
    email in that same statement (``read_by`` adds a data-modifying CTE): it inserts the rate event only while
    the same count is under the limit, exactly when ``email_allowed`` allows the email, and like the count it
    does not see its own row. One round trip under the lock instead of two. The caller then calls
    ``email_allowed(kind, address, counted=..., recorded=count.recorded)``, which writes nothing more, and
    must not commit a transaction that read it without sending the email it allowed. On SQLite (no data-
    modifying CTE in a SELECT) nothing is recorded by the read and ``email_allowed`` records it as usual."""

    today: ColumnElement
    record: CTE | None
    prune: CTE | None = None  # what no longer counts, when this process's turn to prune has come

    @property
    def recorded(self) -> bool:
        return self.record is not None

    def read_by(self, statement: Select) -> Select:
        """``statement`` (which selects ``today``) with the record and the prune in it, marked as a statement
        that writes (``database.WRITES``)."""
        if self.record is None:
            return statement
        for cte in (self.record, self.prune):
            if cte is not None:
                statement = statement.add_cte(cte)
        return statement.execution_options(**{WRITES: True})


def email_count(kind: str, address: str) -> EmailCount:
    """``EmailCount`` for one more email of ``kind`` to ``address``. Its moment is when it is built (before
    the caller waits for its lock): the count's day and the event's time are the same moment."""
    now, key = utcnow(), _mail_key(kind, address)
    today = _counting(key, now - DAY).scalar_subquery()
    if db.engine.dialect.name != "postgresql":
        return EmailCount(today, None)
    new = select(literal(key, RateEvent.key.type), literal(now, RateEvent.at.type)).where(today < _emails_a_day())
    record = insert(RateEvent).from_select(["key", "at"], new).cte("recorded")
    return EmailCount(today, record, _pruning(DAY).cte("pruned") if _take_prune_turn() else None)


def registration_allowed() -> bool:
    """Whether this client may register one more person this hour (``REGISTRATION_LIMIT``, 0 = off)."""
    limit = current_app.config["REGISTRATION_LIMIT"]
    if not limit:
        return True
    return _take("register", [(f"register:ip:{client_key()}", limit)])
