"""Database behaviour shared by every domain: SQLite settings and the write lock.

SQLite: WAL mode, foreign keys on (but off on the migrations' own connection, see
migrations/env.py: a table rebuilt there must not cascade), a busy timeout, and transactions
begun by us (pysqlite's own implicit transactions are switched off) so that a POST request, or a
rule, can start one with ``BEGIN IMMEDIATE``. In WAL mode a reader never waits for a writer, even one holding ``BEGIN
EXCLUSIVE`` from outside (``sqlite3 forum.sqlite3``): a page that only reads begins a deferred
transaction and asks for no write lock. A request that writes waits for the lock only
``LOCK_TIMEOUT_SECONDS`` (then :class:`Busy`, a "try again" page that says nothing was saved), so a
stuck writer cannot hold every web worker; jobs and the command line wait longer (``JOB_WAIT_MS``).

``exclusive(key)`` is how a rule that counts and then inserts (six topics a year, places in a
forum) makes the count and the insert one step under concurrent requests: on PostgreSQL a
transaction-scoped advisory lock on ``key``; on SQLite a write transaction, which SQLite allows
only one of at a time.
"""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Iterator

from flask import current_app, has_request_context, request
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .extensions import db

JOB_WAIT_MS = 30_000  # outside a request nobody is kept waiting at a page: a job waits its turn
_BUSY_TIMEOUT = "forum.busy_timeout"  # the connection's current busy_timeout, in its pool record's info
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6  # SQLite's primary result codes for "another connection holds the lock"


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):  # noqa: ANN001
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={JOB_WAIT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    connection_record.info[_BUSY_TIMEOUT] = JOB_WAIT_MS


def _writes_expected() -> bool:
    return has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")


def _wait_ms(conn) -> int:  # noqa: ANN001
    """How long this transaction's statements wait for SQLite's write lock: a request's few seconds
    (a worker waiting is a worker nobody else gets), a job's half minute, or what the caller asked."""
    asked = conn.get_execution_options().get("sqlite_wait_ms")
    if asked is not None:
        return int(asked)
    if has_request_context():
        return int(current_app.config["LOCK_TIMEOUT_SECONDS"] * 1000)
    return JOB_WAIT_MS


def _set_busy_timeout(conn, wait_ms: int) -> None:  # noqa: ANN001
    """A connection setting, changed only when it differs (a pooled connection serves requests and jobs),
    straight on the driver's connection: no statement of the page's own."""
    info = conn.connection.info  # lives as long as the pooled connection
    if info.get(_BUSY_TIMEOUT) != wait_ms:
        conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        info[_BUSY_TIMEOUT] = wait_ms


def is_busy(error: BaseException) -> bool:
    """True when SQLite refused because another connection held the lock past the busy timeout."""
    orig = getattr(error, "orig", error)
    code = getattr(orig, "sqlite_errorcode", None)
    return isinstance(orig, sqlite3.OperationalError) and code is not None and code & 0xFF in (
        _SQLITE_BUSY, _SQLITE_LOCKED)


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):  # noqa: ANN001
    if conn.dialect.name != "sqlite":
        return
    # A deferred transaction that reads and then writes fails at once ("database is locked") if
    # another connection wrote in between; so a request that may write takes the write lock up
    # front and waits its turn (busy_timeout) instead. Pages that only read stay concurrent.
    _set_busy_timeout(conn, _wait_ms(conn))
    immediate = conn.get_execution_options().get("sqlite_immediate")  # False: see begin_read
    if immediate or (immediate is None and _writes_expected()):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's answer when lock_timeout ran out


def advisory_lock_id(key: str) -> int:
    """The number PostgreSQL knows the lock for ``key`` by, for anything else that must hold the same lock.
    Advisory locks take a signed 64-bit key; crc32 is the same in every process."""
    return zlib.crc32(key.encode("utf-8"))


def begin_write(*, wait_ms: int | None = None) -> None:
    """Start a fresh transaction that may write, for code outside a request (jobs, the CLI).

    On SQLite a transaction that reads first and writes later fails at once if another process
    wrote in between; starting with the write lock makes it wait its turn instead. PostgreSQL
    needs nothing special here. ``wait_ms`` bounds the wait for a lock (SQLite's write lock,
    PostgreSQL's row locks) for a caller that must answer quickly, such as ``/healthz``.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() needs a session without unsaved changes")
    session.rollback()
    if db.engine.dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_immediate": True, "sqlite_wait_ms": wait_ms})
    elif wait_ms is not None:
        session.execute(text(f"SET LOCAL lock_timeout = '{int(wait_ms)}ms'"))


def begin_read() -> None:
    """Start a fresh transaction that only reads, even in a POST: on SQLite a deferred ``BEGIN``, so a
    request that prepares work before taking a lock (``exclusive``, which starts its own transaction)
    does not hold every other writer up meanwhile."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_read() needs a session without unsaved changes")
    session.rollback()
    if db.engine.dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_immediate": False})
    session.info[_READING] = session().get_transaction() or session().begin()


_READING = "forum.reading"  # session.info: the transaction begun by begin_read(), while it writes nothing
WRITES = "forum.writes"  # execution option of a SELECT that also writes (a data-modifying CTE on PostgreSQL)


@event.listens_for(Session, "after_flush")
def _flushed(session, _flush_context) -> None:  # noqa: ANN001
    session.info.pop(_READING, None)


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:  # noqa: ANN001
    if not state.is_select or state.execution_options.get(WRITES):
        state.session.info.pop(_READING, None)


def keep_after_commit() -> None:
    """For the rest of this request, a commit leaves the objects it saved as they are, instead of marking
    them to be read again: for a page written right after the request's own commit, from what that commit
    saved (a registration's answer), without reading it all back. The next request has a new session."""
    db.session().expire_on_commit = False


def also_lock(key: str) -> None:
    """Inside a write transaction already begun (``begin_write``), also hold the lock for ``key`` until
    its end: a step of a larger transaction (an erasure across domains) that must follow a rule's lock.
    On SQLite the write transaction already excludes every other writer."""
    if db.engine.dialect.name != "sqlite":
        db.session.execute(select(func.pg_advisory_xact_lock(advisory_lock_id(key))))


class Busy(Exception):
    """The lock was not free in time: the person is asked to try again (nothing was saved)."""


def exclusive(key: str, *, wait_seconds: int | None = None) -> None:
    """Begin a fresh transaction holding the write lock for ``key`` until commit or rollback.

    Call it before reading what the rule counts. Unsaved changes in the session are a
    programming error here: the rule owns this transaction from its start. (On PostgreSQL a
    transaction begun by ``begin_read`` that has written nothing is carried on rather than begun
    again; everything loaded is read afresh all the same.) With
    ``wait_seconds``, PostgreSQL gives up waiting for the lock after that long (``lock_timeout``,
    as pretix does) and :class:`Busy` is raised, so a request never hangs behind a stuck one. SQLite's
    write lock is waited for as long as the busy timeout (see ``_wait_ms``), then :class:`Busy` too.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("exclusive() needs a session without unsaved changes")
    if db.engine.dialect.name == "sqlite":
        session.rollback()  # end any read-only transaction the request began
        try:
            session.connection(execution_options={"sqlite_immediate": True})
        except OperationalError as error:
            if not is_busy(error):
                raise
            session.rollback()
            raise Busy() from error
    else:
        # A transaction begun by begin_read() that has written nothing goes on and takes the lock, instead
        # of ending and beginning again (three round trips to the server): PostgreSQL reads committed data
        # afresh in every statement, and what the session loaded before is read again on first use.
        transaction = session().get_transaction()
        if transaction is not None and transaction.is_active and session.info.get(_READING) is transaction:
            session.expire_all()
        else:
            session.rollback()
        session.info.pop(_READING, None)
        lock = func.pg_advisory_xact_lock(advisory_lock_id(key))
        # The wait's limit and the lock in one statement (one round trip fewer while others queue for the
        # lock): set_config(..., true) is SET LOCAL, evaluated before the lock is asked for.
        statement = (select(func.set_config("lock_timeout", f"{int(wait_seconds)}s", True), lock) if wait_seconds
                     else select(lock))
        try:
            session.execute(statement)
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            session.rollback()
            raise Busy() from error


# --- transactions as context managers ------------------------------------------------------------------
# A service says where its transaction begins and ends with one ``with``: the block's end commits, an
# exception rolls back (and goes on), so no service commits or rolls back by hand and a rule's refusal
# can never leave half its changes in the session. pretix's ``lock_objects`` is the model for ``rule``.

_DEPTH = "forum.transaction_depth"  # session.info: how many ``atomic``/``rule`` blocks are open


class _Transaction(contextlib.ContextDecorator):
    """The outermost block owns the transaction: it commits when it ends and rolls back when it raises.
    An inner block (a service called from another service) joins the outer one and decides nothing."""

    def __init__(self, *, write: bool = False) -> None:
        self._write = write

    def _recreate_cm(self) -> _Transaction:
        return _Transaction(write=self._write)  # a decorated function gets a block of its own on each call

    def __enter__(self) -> None:
        info = db.session.info
        self._outermost = not info.get(_DEPTH)
        if self._outermost and self._write:
            begin_write()
        info[_DEPTH] = info.get(_DEPTH, 0) + 1

    def __exit__(self, kind, error, traceback) -> bool:  # noqa: ANN001
        info = db.session.info
        info[_DEPTH] -= 1
        if self._outermost:
            if kind is None:
                db.session.commit()
            else:
                db.session.rollback()
        return False


def atomic(*, write: bool = False):  # noqa: ANN201 - a context manager that is also a decorator
    """``with atomic():`` or ``@atomic()``: the changes inside are saved together when the block ends, or none
    of them if it raises. In a request that writes, SQLite's transaction already holds the write lock; a job
    or command that reads before it writes says ``write=True`` (``begin_write``: it waits its turn for
    SQLite's lock from the start instead of failing on a write in between)."""
    return _Transaction(write=write)


@contextlib.contextmanager
def rule(kind: str, ident: int | str, *, wait_seconds: int | None = None) -> Iterator[None]:
    """``with rule("forum", forum_id):`` begins a transaction holding the lock for that forum (``exclusive``),
    then commits when the block ends or rolls back when it raises: a rule that counts and then writes (the
    places of a forum, the topics of a year) does both in one step. The holder should do under it only what
    must be under it: every other writer of the same forum waits meanwhile. Inside another block the lock is
    taken in the transaction already begun (``also_lock``). Raises :class:`Busy` if the lock is not free in
    time (``wait_seconds`` on PostgreSQL, the busy timeout on SQLite)."""
    key = f"{kind}:{ident}"
    if db.session.info.get(_DEPTH):
        also_lock(key)
    else:
        exclusive(key, wait_seconds=wait_seconds)
    with _Transaction():
        yield
