"""Scheduled work of registrations: reminders before a forum, and the anonymisation the privacy notice
promises. The scheduler (``forum_app/scheduler.py``) runs these; each claims its rows in the database."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..core.database import atomic
from ..core.extensions import db
from ..core.models_base import utcnow
from ..jobs.once import claim_and_do
from ..planning.models import Forum, ForumStatus
from .models import Registration, RegistrationStatus, cleared_personal_fields
from .notifications import send_reminder


def send_due_reminders() -> int:
    """Remind confirmed participants (by email, or by SMS without one) ``REMINDER_DAYS_BEFORE`` days before their forum, once each.

    A reminder is claimed (``reminder_sent_at`` set where it was empty) in the same transaction
    that puts it into the outbox, so no run sends it twice and a failure keeps neither.
    """
    now = utcnow()
    horizon = now + timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    candidates = db.session.scalars(
        select(Registration.id).join(Forum, Forum.id == Registration.forum_id).where(
            Forum.status == ForumStatus.PUBLISHED, Forum.starts_at > now, Forum.starts_at <= horizon,
            Registration.status == RegistrationStatus.CONFIRMED, Registration.walk_in.is_(False),
            or_(Registration.email != "", Registration.phone != ""),  # by email, else by SMS
            Registration.reminder_sent_at.is_(None))).all()
    db.session.commit()

    def claim(registration_id: int) -> bool:
        return bool(db.session.execute(
            update(Registration).where(Registration.id == registration_id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)).rowcount)

    return claim_and_do(candidates, claim,
                        lambda registration_id: send_reminder(db.session.get(Registration, registration_id)))


@atomic(write=True)
def anonymise_old_registrations() -> int:
    """Keep the promise of the privacy notice: ``REGISTRATION_RETENTION_DAYS`` after a forum, remove
    names, contact details and needs; only the anonymous numbers (status, attendance, interpreter
    language, children's ages, the coded key that counts who comes back) stay for the figures."""
    cutoff = utcnow() - timedelta(days=current_app.config["REGISTRATION_RETENTION_DAYS"])
    old_forums = select(Forum.id).where(Forum.ends_at < cutoff)
    result = db.session.execute(
        update(Registration).where(Registration.forum_id.in_(old_forums), Registration.name != "")
        .values(**cleared_personal_fields()))
    return result.rowcount
