"""Scheduled jobs and the process that runs them: ``flask --app forum_app scheduler``.

APScheduler 3 cannot share a job store between processes, so it only triggers; every job claims
its work in the database (a conditional UPDATE that only one process can win), which makes running
two schedulers, restarting one, or running a job by hand safe.
"""

from __future__ import annotations

import logging

import click
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext

from . import heartbeat
from .backup import keep_nightly_backup
from .coreteam.services import remind_terms_ending as remind_core_team_terms
from .extensions import db
from .impact.services import send_thank_you_mails as send_feedback_invitations
from .models_base import utcnow
from .newsletter.sending import send_due as send_due_newsletters
from .outbox.sending import prune as prune_mail
from .outbox.sending import send_due as send_outbox
from .recommendations.services import remind_silent_measures
from .registrations.jobs import anonymise_old_registrations, send_due_reminders

log = logging.getLogger(__name__)


def send_due_mail() -> int:
    """One pass of the outbox sender (``flask mail send-due``)."""
    return send_outbox().sent


def report_alive() -> None:
    """The heartbeat that staff pages read: a warning there after five minutes of silence."""
    heartbeat.beat("scheduler")


# Each domain owns its jobs; this table says how often each runs.
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
