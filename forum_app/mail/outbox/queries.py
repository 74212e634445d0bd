"""What the queue holds, for staff's page and the dashboard."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ...core.extensions import db
from ...core.models_base import utcnow
from .models import MailStatus, OutboxMessage


def counts(channel: str | None = None) -> dict[str, int]:
    query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    rows = dict(db.session.execute(query).all())
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
