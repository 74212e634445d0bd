"""The outbox: every email and SMS is a row queued with the change that causes it, then written and sent.

``recipes.queue(...)`` adds the row in the caller's transaction; right after the commit the app tries to
send it in the background (``attempts``), and ``flask mail send-due`` (run by the scheduler every minute)
retries whatever is left, through the one sender (``mail.sender``). Staff see the queue at
``/<lang>/admin/mail/`` (``mail.admin``).
"""

from __future__ import annotations

from flask import Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...privacy import registry as personal_data
from . import attempts, personal
from .cli import mail_cli
from .recipes import queue, writer  # noqa: F401 - the outbox's entry points


def _after_commit(session: Session) -> None:
    if has_app_context():
        attempts.start_attempt(session)
    else:
        attempts.forget(session)


event.listen(Session, "after_flush", attempts.collect_new)
event.listen(Session, "after_rollback", attempts.forget)
event.listen(Session, "after_commit", _after_commit)


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
    attempts.install_attempts(app)
    personal_data.register("mail", export=personal.export, erase=personal.erase)
