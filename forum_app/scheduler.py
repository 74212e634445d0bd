"""Scheduled jobs and the process that runs them: ``flask --app forum_app scheduler``.

APScheduler 3 cannot share a job store between processes, so it only triggers; every job claims
its work in the database (a conditional UPDATE that only one process can win), which makes running
two schedulers, restarting one, or running a job by hand safe.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select, update

from .database import begin_write
from .extensions import db
from .models_base import utcnow

log = logging.getLogger(__name__)


def send_due_reminders() -> int:
    """Email confirmed participants ``REMINDER_DAYS_BEFORE`` days before their forum, once each.

    A reminder is claimed (``reminder_sent_at`` set where it was empty) before it is sent, so no run
    sends it twice; if sending fails the claim is released and a later run tries again.
    """
    from .planning.models import Forum, ForumStatus
    from .registrations.models import Registration, RegistrationStatus
    from .registrations.notifications import send_reminder

    now = utcnow()
    horizon = now + timedelta(days=current_app.config["REMINDER_DAYS_BEFORE"])
    candidates = db.session.scalars(
        select(Registration.id).join(Forum, Forum.id == Registration.forum_id).where(
            Forum.status == ForumStatus.PUBLISHED, Forum.starts_at > now, Forum.starts_at <= horizon,
            Registration.status == RegistrationStatus.CONFIRMED, Registration.walk_in.is_(False),
            Registration.email != "", Registration.reminder_sent_at.is_(None))).all()
    db.session.commit()
    sent = 0
    for registration_id in candidates:
        begin_write()
        claimed = db.session.execute(
            update(Registration).where(Registration.id == registration_id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)).rowcount
        db.session.commit()
        if not claimed:
            continue  # another scheduler took it
        registration = db.session.get(Registration, registration_id)
        try:
            send_reminder(registration)
        except Exception:  # noqa: BLE001 - any failure: release the claim for the next run
            log.exception("reminder for registration %s failed", registration_id)
            begin_write()
            db.session.execute(update(Registration).where(Registration.id == registration_id)
                               .values(reminder_sent_at=None))
            db.session.commit()
            continue
        sent += 1
    return sent


def anonymise_old_registrations() -> int:
    """Keep the promise of the privacy notice: six months after a forum, remove names, contact
    details and needs; only the anonymous numbers (status, attendance, interpreter language,
    children's ages) stay for the forum's results and the budget."""
    from .planning.models import Forum
    from .registrations.models import Registration

    begin_write()
    cutoff = utcnow() - timedelta(days=current_app.config["REGISTRATION_RETENTION_DAYS"])
    old_forums = select(Forum.id).where(Forum.ends_at < cutoff)
    result = db.session.execute(
        update(Registration).where(Registration.forum_id.in_(old_forums), Registration.name != "")
        .values(name="", email="", phone="", access_needs="", dietary_needs="", token_hash=None))
    db.session.commit()
    return result.rowcount


def remind_core_team_terms() -> int:
    from .coreteam.services import remind_terms_ending

    return remind_terms_ending()


def remind_silent_measures() -> int:
    from .recommendations.services import remind_silent_measures as remind

    return remind()


def send_due_newsletters() -> int:
    from .newsletter.sending import send_due

    return send_due()


JOBS = [
    (send_due_reminders, 15),  # (job, minutes between runs)
    (send_due_newsletters, 1),
    (remind_core_team_terms, 6 * 60),
    (remind_silent_measures, 24 * 60),
    (anonymise_old_registrations, 24 * 60),
]


def run_job(app: Flask, job) -> None:  # noqa: ANN001
    with app.app_context():
        try:
            job()
        finally:
            db.session.remove()


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduled jobs until stopped (one such process per installation is enough)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    app = current_app._get_current_object()
    scheduler = BlockingScheduler(timezone=app.config["TIMEZONE"])
    for job, minutes in JOBS:
        scheduler.add_job(run_job, "interval", minutes=minutes, args=[app, job], id=job.__name__,
                          next_run_time=utcnow(), max_instances=1, coalesce=True)
    click.echo("Scheduler running; press Ctrl+C to stop.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
