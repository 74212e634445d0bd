"""What the queue holds about one address or phone number, for access and erasure requests (``personal_data``)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import and_, delete, func, select

from ...core.extensions import db
from ...privacy.registry import Address
from .. import sms
from .models import OutboxMessage


def _for(address: Address):  # noqa: ANN202
    if address.email:
        return and_(OutboxMessage.channel == "email", func.lower(OutboxMessage.recipient) == address.email)
    # An SMS row holds the number in E.164, however the person writes it today.
    number = sms.phone_for_sms(address.phone, current_app.config["SMS_COUNTRY_CODE"])
    return and_(OutboxMessage.channel == "sms", OutboxMessage.recipient == number) if number else None


def export(address: Address) -> list[dict]:
    where = _for(address)
    if where is None:
        return []
    rows = db.session.scalars(select(OutboxMessage).where(where).order_by(OutboxMessage.id))
    return [{"channel": row.channel, "subject": row.subject, "status": row.status.value,
             "created_at": row.created_at.isoformat(), "sent_at": row.sent_at.isoformat() if row.sent_at else None}
            for row in rows]


def erase(address: Address) -> dict:
    """The messages go, also those still waiting: after an erasure nothing more is sent to the address."""
    where = _for(address)
    if where is None:
        return {}
    deleted = db.session.execute(delete(OutboxMessage).where(where)).rowcount
    return {"messages": deleted} if deleted else {}
