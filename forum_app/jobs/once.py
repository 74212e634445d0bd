"""The one shape of a scheduled job that acts once per item: claim, do, and save both or neither.

With the mail outbox, "doing" (e.g. writing a reminder email) is a write in the same transaction
as the claim (e.g. ``reminder_sent_at`` set where it was empty). So a second scheduler that loses
the claim does nothing, and a failure rolls back the claim with the message: a later run tries
again. Nothing has to be released by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from ..core.database import begin_write
from ..core.extensions import db
from . import claims

log = logging.getLogger(__name__)


def claim_and_do(item_ids: Iterable[int], claim: Callable[[int], bool], do: Callable[[int], object]) -> int:
    """For each id, one transaction: ``claim(id)`` (False when another run has it), then ``do(id)``.

    Returns how many were done. An error in one item is logged and rolled back; the rest go on. When the
    process is asked to stop (``claims.stopping``), the rest wait for a later run.
    """
    done = 0
    for item_id in item_ids:
        if claims.stopping():
            break
        begin_write()
        try:
            if not claim(item_id):
                db.session.rollback()
                continue  # another scheduler took it
            do(item_id)
            db.session.commit()
        except Exception:  # noqa: BLE001 - one item's failure must not stop the others
            log.exception("job item %s failed; it is tried again on a later run", item_id)
            db.session.rollback()
            continue
        done += 1
    return done
