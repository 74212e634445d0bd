"""Files the app writes into the instance folder (uploads, the ``.eml`` outbox), and the room left there.

A file is written whole or not at all: into a temporary file in the same folder, flushed to the disk,
then renamed to its name in one step. A full disk, or a process killed half way, leaves no empty or
cut-off file under a real name (which a backup would then carry forever), only nothing.
(``atomicwrites`` did this once and is no longer kept; the few lines are here.)
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

MEGABYTE = 1024 * 1024


def write_whole(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` holds all of it or does not exist.

    Raises ``OSError`` as the disk answered (see :func:`is_disk_full`); the temporary file is gone then.
    ``sync=False`` skips waiting for the disk (a power cut may then leave the new name empty): for files
    that can be written again, such as the development outbox's ``.eml`` files.
    """
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        try:
            rest = memoryview(data)
            while rest:
                rest = rest[os.write(handle, rest):]
            if sync:
                os.fsync(handle)  # on the disk before it has its name: a crash leaves nothing or all
        finally:
            os.close(handle)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def is_disk_full(error: BaseException) -> bool:
    """True for the operating system's "no space left" (or "over quota") on a write."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def free_megabytes(folder: str | os.PathLike) -> int:
    """Megabytes free for this process's files in ``folder``'s file system."""
    return shutil.disk_usage(folder).free // MEGABYTE


_NEW_FILES = "forum.new_files"  # Session.info: files written for rows the transaction has not committed yet


def remove_unless_committed(session: Session, path: Path) -> None:
    """Delete ``path`` again if the transaction that is to record it ends without a commit, so that a
    file is never kept without the row that names it (a database refusing the row, a full disk)."""
    session.info.setdefault(_NEW_FILES, []).append(path)


@event.listens_for(Session, "after_commit")
def _recorded(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _not_recorded(session: Session, transaction) -> None:  # noqa: ANN001
    if transaction.parent is None:  # the outermost transaction; a commit has taken the list already
        for path in session.info.pop(_NEW_FILES, []):
            path.unlink(missing_ok=True)
