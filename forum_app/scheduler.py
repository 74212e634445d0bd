"""Scheduled jobs and the process that runs them: ``flask --app forum_app scheduler``.

APScheduler 3 cannot share a job store between processes, so it only triggers; every job claims
its work in the database (a conditional UPDATE that only one process can win), which makes running
two schedulers, restarting one, or running a job by hand safe.

A run that starts late still runs (``JOB_DEFAULTS``), and a planned stop (SIGTERM, Ctrl+C) lets the
jobs running finish the message they are sending (``claims.stop_on_signals``) before the process
ends with status 0.
"""

from __future__ import annotations

import logging
import time

import click
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext

from .core.extensions import db
from .core.models_base import utcnow
from .coreteam.services import remind_terms_ending as remind_core_team_terms
from .impact.services import send_thank_you_mails as send_feedback_invitations
from .jobs import claims, heartbeat
from .jobs.backup import keep_nightly_backup
from .mail.outbox.sending import send_due as send_outbox
from .mail.outbox.services import prune as prune_mail
from .newsletter.sending import send_due as send_due_newsletters
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


# APScheduler drops a run that starts more than ``misfire_grace_time`` late (one second by default): a
# start-up of over a second would skip every job's first run, and a daily one (anonymisation, outbox
# pruning, reminders) would then wait a whole day. So a late run always runs, and runs missed meanwhile
# (a suspended machine) collapse into one.
JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


def job_name(job) -> str:  # noqa: ANN001
    """The job's function with its module (``newsletter.sending.send_due``): two domains' jobs may share
    a function name."""
    return f"{job.__module__.removeprefix('forum_app.')}.{job.__name__}"


def run_job(app: Flask, job) -> None:  # noqa: ANN001
    """Run one job, then record in the heartbeat table, under the job's name, that it ran to the end:
    when each job last ran can be read there (``SELECT * FROM heartbeat``)."""
    with app.app_context():
        try:
            job()
            heartbeat.beat(job_name(job))
        finally:
            db.session.remove()


def build(app: Flask) -> BackgroundScheduler:
    """Every job of ``JOBS``, first run at once, each named by its function (so the log says which)."""
    scheduler = BackgroundScheduler(timezone=app.config["TIMEZONE"], job_defaults=JOB_DEFAULTS)
    first_run = utcnow()
    for job, minutes in JOBS:
        scheduler.add_job(run_job, "interval", minutes=minutes, args=[app, job], id=job_name(job),
                          name=job_name(job), next_run_time=first_run)
    return scheduler


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduled jobs until stopped (one such process per installation is enough)."""
    scheduler = build(current_app._get_current_object())
    with claims.stop_on_signals():
        scheduler.start()
        click.echo("Scheduler running; press Ctrl+C to stop.")
        # The main thread only waits: the signal handler sets the flag, and the jobs run in the
        # scheduler's threads. (Not STOPPING.wait(): see claims.stop_on_signals.)
        while not claims.stopping():
            time.sleep(0.5)
        click.echo("Stopping: the jobs running finish the message on the wire and give the rest back.")
        scheduler.shutdown(wait=True)
    click.echo("Scheduler stopped.")
