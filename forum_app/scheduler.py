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

from .backup import keep_nightly_backup
from . import heartbeat
from .database import begin_write
from .jobs import claim_and_do
from .extensions import db
from .models_base import utcnow

log = logging.getLogger(__name__)


def send_due_reminders() -> int:
    """Email confirmed participants ``REMINDER_DAYS_BEFORE`` days before their forum, once each.

    A reminder is claimed (``reminder_sent_at`` set where it was empty) in the same transaction
    that puts it into the outbox, so no run sends it twice and a failure keeps neither.
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

    def claim(registration_id: int) -> bool:
        return bool(db.session.execute(
            update(Registration).where(Registration.id == registration_id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)).rowcount)

    return claim_and_do(candidates, claim,
                        lambda registration_id: send_reminder(db.session.get(Registration, registration_id)))


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
        .values(name="", email="", phone="", access_needs="", diets=[], dietary_needs="", token_hash=None))
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


def send_due_mail() -> int:
    """One pass of the outbox sender (``flask mail send-due``)."""
    from .outbox.sending import send_due  # each job's module is loaded when the job runs, as above

    return send_due().sent


def prune_mail() -> int:
    from .outbox.sending import prune  # loaded when the job runs

    return prune()


def report_alive() -> None:
    """The heartbeat that staff pages read: a warning there after five minutes of silence."""
    heartbeat.beat("scheduler")


def send_feedback_invitations() -> int:
    from .impact.services import send_thank_you_mails  # the scheduler sits above every domain it runs

    return send_thank_you_mails()


JOBS = [
    (report_alive, 1),  # (job, minutes between runs)
    (send_due_mail, 1),
    (prune_mail, 24 * 60),
    (send_due_reminders, 15),
    (send_due_newsletters, 1),
    (remind_core_team_terms, 6 * 60),
    (remind_silent_measures, 24 * 60),
    (anonymise_old_registrations, 24 * 60),
    (keep_nightly_backup, 60),  # writes at most one a day (named by date); off without BACKUP_DIR
    (send_feedback_invitations, 60),  # the thank-you email with the feedback link, the day after a forum
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
