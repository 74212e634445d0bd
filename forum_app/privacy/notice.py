"""The privacy notice: who is responsible, and how long each kind of personal data is kept.

The periods are read from the same settings and rules the code keeps them by (the scheduler's
anonymisation, the mail queue's clean-up, the form limits, the nightly backups), so the notice
cannot promise something the code does not do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import format_timedelta

from ..core import throttle
from ..web.links import external_url


@dataclass(frozen=True)
class Retention:
    registration: timedelta  # after the forum: names, contact details and needs are removed
    sent_mail: timedelta  # a copy of a sent message in the mail queue
    abuse_counts: timedelta  # the sender's address and failed logins, counted against abuse
    backups: timedelta | None  # None: no nightly backups are kept


def retention() -> Retention:
    config = current_app.config
    backups = None
    if config.get("BACKUP_DIR"):
        backups = timedelta(days=max(1, int(config.get("BACKUP_KEEP", 14))))  # one backup a day
    return Retention(
        registration=timedelta(days=config["REGISTRATION_RETENTION_DAYS"]),
        sent_mail=timedelta(days=config.get("MAIL_RETENTION_DAYS", 30)),
        # Both live in throttle's table, pruned of rows older than the longer of the two windows.
        abuse_counts=max(throttle.WINDOW, timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"])),
        backups=backups,
    )


def duration(value: timedelta) -> str:
    """A period in the reader's language, exact to the day or minute ("183 days", not "6 months")."""
    if value >= timedelta(days=1):
        return format_timedelta(value, granularity="day", threshold=10**9)
    return format_timedelta(value, granularity="minute")


def privacy_url(lang: str) -> str:
    """The notice's absolute address in ``lang``, for email footers (also sent by scheduled jobs)."""
    return external_url("site.privacy", lang=lang)


def retention_period(name: str) -> str:
    """One period of :func:`retention` in the reader's language, for snippets on forms."""
    return duration(getattr(retention(), name))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(privacy_url=privacy_url, retention_period=retention_period)
