"""What the mail queue holds about one address, for access and erasure requests (``personal_data``)."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from ...core.extensions import db
from ...privacy.registry import Address
from .models import OutboxMessage


def _for(address: Address):  # noqa: ANN202
    return func.lower(OutboxMessage.recipient) == address.email


def export(address: Address) -> list[dict]:
    if not address.email:
        return []
    rows = db.session.scalars(select(OutboxMessage).where(_for(address)).order_by(OutboxMessage.id))
    return [{"subject": row.subject, "status": row.status.value, "created_at": row.created_at.isoformat(),
             "sent_at": row.sent_at.isoformat() if row.sent_at else None} for row in rows]


def erase(address: Address) -> dict:
    """The messages go, also those still waiting: after an erasure nothing more is sent to the address."""
    if not address.email:
        return {}
    deleted = db.session.execute(delete(OutboxMessage).where(_for(address))).rowcount
    return {"messages": deleted} if deleted else {}
