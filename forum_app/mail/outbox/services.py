"""What staff and the scheduler do to the queue besides sending: try again, and forget what is old."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ...core import audit
from ...core.database import atomic
from ...core.extensions import db
from ...core.models_base import utcnow
from .attempts import attempt_after_commit
from .models import MailStatus, OutboxMessage


@atomic(write=True)
def retry(message_ids: list[int]) -> int:
    """Staff's "try again now": failed or waiting messages become due at once, with a fresh count of tries."""
    changed = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id.in_(message_ids), OutboxMessage.status.in_([MailStatus.FAILED, MailStatus.WAITING]))
        .values(status=MailStatus.WAITING, tries=0, next_try_at=utcnow())).rowcount
    attempt_after_commit(message_ids)
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids))):
        audit.record("retried", message, message.recipient)
    return changed


@atomic(write=True)
def prune() -> int:
    """Delete sent and failed messages older than ``MAIL_RETENTION_DAYS``."""
    cutoff = utcnow() - timedelta(days=current_app.config["MAIL_RETENTION_DAYS"])
    deleted = db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.status.in_([MailStatus.SENT, MailStatus.FAILED]), OutboxMessage.created_at < cutoff)).rowcount
    return deleted
