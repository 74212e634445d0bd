"""The scheduler's heartbeat: a row it updates every minute, so staff pages can tell when it is silent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..core.database import begin_write
from ..core.extensions import db
from ..core.models_base import UTCDateTime, utcnow

SILENCE = timedelta(minutes=5)


class Heartbeat(db.Model):
    __tablename__ = "heartbeat"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[str] = mapped_column(String(200), default="")


def beat(name: str = "scheduler", detail: str = "", *, wait_ms: int | None = None) -> None:
    """Record that ``name`` is alive; ``wait_ms`` as ``database.begin_write``'s."""
    begin_write(wait_ms=wait_ms)
    now = utcnow()
    if not db.session.execute(update(Heartbeat).where(Heartbeat.name == name)
                              .values(beat_at=now, detail=detail[:200])).rowcount:
        db.session.add(Heartbeat(name=name, beat_at=now, detail=detail[:200]))
    try:
        db.session.commit()
    except IntegrityError:  # a second scheduler wrote the very first beat at the same moment
        db.session.rollback()


def last_beat(name: str = "scheduler") -> datetime | None:
    return db.session.scalar(select(Heartbeat.beat_at).where(Heartbeat.name == name))


_UNKNOWN = object()


def is_silent(name: str = "scheduler", *, last=_UNKNOWN) -> bool:  # noqa: ANN001 - a datetime or None
    """True when the scheduler has not reported for five minutes (or never has)."""
    if last is _UNKNOWN:
        last = last_beat(name)
    return last is None or last < utcnow() - SILENCE
