"""Rows that one process at a time works on: who claims them, and giving back the claims of the dead.

The newsletter's deliveries and the mail outbox use the same technique (see
``newsletter/sending.py`` for the full story): a sender marks a row *claimed* with its own id
before it hands the message to SMTP. When a sender dies, its rows are given back at once if its
process is known to be gone (same host, pid not alive), otherwise when the lease runs out.

A planned stop (SIGTERM from ``systemctl stop`` or ``restart``, Ctrl+C) is not a death: it sets
:data:`STOPPING`, and the senders, which look at it between two messages, claim nothing more,
finish and mark the message on the wire and give the rest back at once (:func:`give_back`), so
the process ends having sent nothing that a later pass sends again.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import bindparam, select, update

from ..core.database import begin_write
from ..core.extensions import db
from ..core.models_base import utcnow

LEASE = timedelta(minutes=10)


def worker_id() -> str:
    """Unique per run: host, process and a random part (two runs in one process differ too)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def process_gone(claimed_by: str | None) -> bool:
    """True when the claimer ran on this host and its process no longer exists."""
    host, _sep, rest = (claimed_by or "").partition(":")
    if host != socket.gethostname():
        return False
    try:
        pid = int(rest.split(":")[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return True
    except PermissionError:
        return False
    return False


def release_abandoned(model, *, claimed, free, lease: timedelta = LEASE, **values) -> int:  # noqa: ANN001, ANN003
    """Give rows of ``model`` left in status ``claimed`` by a dead sender back as ``free``.

    ``model`` needs ``status``, ``claimed_by`` and ``claimed_at`` columns.
    """
    begin_write()
    now = utcnow()
    rows = db.session.execute(select(model.id, model.claimed_by, model.claimed_at)
                              .where(model.status == claimed)).all()
    stale = [row.id for row in rows
             if row.claimed_at is None or row.claimed_at < now - lease or process_gone(row.claimed_by)]
    if stale:
        db.session.execute(update(model).where(model.id.in_(stale), model.status == claimed)
                           .values(status=free, claimed_by=None, claimed_at=None, **values))
    db.session.commit()
    return len(stale)


def give_back(model, ids: list[int], sender: str, *, claimed, free) -> None:  # noqa: ANN001
    """Rows ``sender`` claimed and will not send (a planned stop): free again at once, as if never claimed
    (no try counted), for the next pass, rather than after the lease."""
    begin_write()
    db.session.execute(update(model).where(model.id.in_(ids), model.claimed_by == sender, model.status == claimed)
                       .values(status=free, claimed_by=None, claimed_at=None))
    db.session.commit()


# --- a planned stop -------------------------------------------------------------------------------

STOPPING = threading.Event()  # set once this process was asked to stop; never cleared


def stopping() -> bool:
    """True once this process was asked to stop: a sender claims nothing more, and stops after the message
    on the wire is marked."""
    return STOPPING.is_set()


@contextmanager
def stop_on_signals():
    """While the block runs, SIGTERM and SIGINT ask for a planned stop (:data:`STOPPING`) instead of
    ending the process mid-message; a second signal acts as before (a second Ctrl+C ends it at once). A
    signal this process was started ignoring stays ignored (SIGINT for a job a shell put in the background,
    as ``make run`` does with the scheduler, whose Ctrl+C is for the foreground).

    The handler only sets the event, whose lock no code of this process holds in the main thread
    (nothing here waits on it there): anything more, such as stopping a scheduler from inside the
    handler, could wait for a lock that the interrupted main thread holds.
    """
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {}

    def ask_to_stop(signum: int, _frame) -> None:  # noqa: ANN001
        STOPPING.set()
        for number, handler in previous.items():
            signal.signal(number, handler)

    for number in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, ask_to_stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _CompiledMark:
    """The UPDATE of one claimed row as the database driver takes it: its SQL, compiled once per model,
    set of columns and database, and each value's conversion to what the column stores."""

    def __init__(self, model, columns: tuple[str, ...], while_status, dialect) -> None:  # noqa: ANN001
        where = [model.id == bindparam("row_id"), model.claimed_by == bindparam("row_owner")]
        if while_status is not None:
            where.append(model.status == bindparam("row_status"))
        statement = (update(model).where(*where)
                     .values({column: bindparam(f"new_{column}") for column in columns}))
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = list(compiled.positiontup) if dialect.positional else None
        types = {"row_id": model.id.type, "row_owner": model.claimed_by.type}
        if while_status is not None:
            types["row_status"] = model.status.type
        types.update({f"new_{column}": getattr(model, column).type for column in columns})
        # Each type as this database's dialect stores it (on SQLite a date becomes the text SQLAlchemy writes).
        self.convert = {name: kind.dialect_impl(dialect).bind_processor(dialect) for name, kind in types.items()}
        self.sqlite = dialect.name == "sqlite"

    def parameters(self, values: dict):  # noqa: ANN201 - a tuple or a dict, as the driver's paramstyle wants
        converted = {name: (convert(value) if (convert := self.convert[name]) and value is not None else value)
                     for name, value in values.items()}
        return tuple(converted[name] for name in self.order) if self.order is not None else converted

    def run(self, driver, values: dict) -> None:  # noqa: ANN001 - a DBAPI connection
        """One small transaction of its own. On SQLite (whose driver we leave in autocommit, see
        ``database.py``) that is the statement alone: a writing statement takes the write lock before it
        reads, waiting its turn like ``BEGIN IMMEDIATE``."""
        cursor = driver.cursor()
        try:
            cursor.execute(self.sql, self.parameters(values))
            if not self.sqlite:
                driver.commit()
        except BaseException:
            try:
                driver.rollback()
            except Exception:  # noqa: BLE001, S110 - a lost connection: the error above is the one to report
                pass
            raise
        finally:
            cursor.close()


@lru_cache(maxsize=32)
def _compiled_mark(model, columns: tuple[str, ...], while_status, dialect) -> _CompiledMark:  # noqa: ANN001
    return _CompiledMark(model, columns, while_status, dialect)


_MARK_CONNECTION: ContextVar = ContextVar("claims_mark_connection")


@contextmanager
def mark_connection():
    """One database connection held for a sender's marks on its claimed rows while the block lasts (a
    pass, a batch): a mark is one small write a message, and taking a connection from the pool for each
    would cost about as much as the write (docs/benchmarks.md)."""
    with db.engine.connect() as connection:
        token = _MARK_CONNECTION.set(connection)
        try:
            yield
        finally:
            _MARK_CONNECTION.reset(token)


def set_claimed(model, row_id: int, sender: str, *, while_status=None, **values) -> None:  # noqa: ANN001, ANN003
    """Write ``values`` to a row this sender claimed, in one small transaction of its own, on the
    connection of :func:`mark_connection` if one is open. A row that another sender has taken back is
    left alone.

    The senders write one of these for every message, before the next goes (so a killed sender repeats at
    most one), so it must cost little beside the SMTP dialogue: it goes straight through the database
    driver with its SQL compiled once, not through the session or SQLAlchemy's Core, whose work per
    statement is several times the write's own (docs/benchmarks.md has the figures).
    """
    connection = _MARK_CONNECTION.get(None)
    if connection is None:
        with mark_connection():
            set_claimed(model, row_id, sender, while_status=while_status, **values)
        return
    write = _compiled_mark(model, tuple(sorted(values)), while_status, connection.dialect)
    parameters = {"row_id": row_id, "row_owner": sender, **{f"new_{key}": value for key, value in values.items()}}
    if while_status is not None:
        parameters["row_status"] = while_status
    if connection.in_transaction():  # nothing of the sender's own runs on this connection; be sure
        connection.rollback()
    write.run(connection.connection.dbapi_connection, parameters)
