"""Limits on public actions that send email, so a form cannot be used to flood an inbox.

Counted in the database (not in process memory) because several web workers and hosts share the
load; old rows stop counting after the window and are pruned as new ones arrive.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

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
    "volunteer": (20, 3),
}
WINDOW = timedelta(hours=1)


def check(action: str, email: str = "") -> None:
    """Count one more ``action`` from this request (and to this email); raise TooMany past the limit."""
    per_ip, per_email = LIMITS[action]
    since = utcnow() - WINDOW
    keys = [(f"{action}:ip:{request.remote_addr or '-'}", per_ip)]
    if email:
        keys.append((f"{action}:email:{email.strip().lower()}", per_email))
    for key, limit in keys:
        count = db.session.scalar(select(func.count()).select_from(RateEvent)
                                  .where(RateEvent.key == key, RateEvent.at >= since)) or 0
        if count >= limit:
            raise TooMany()
    db.session.execute(delete(RateEvent).where(RateEvent.at < since))
    db.session.add_all(RateEvent(key=key) for key, _limit in keys)
    db.session.commit()
