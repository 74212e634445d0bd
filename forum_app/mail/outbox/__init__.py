"""The mail outbox: every email is a row written with the change that causes it, then sent.

``outbox.send(message)`` (``queue.py``) adds the row; right after the commit the app tries to send it in the
background (``sending.start_attempt``), and ``flask mail send-due`` (run by the scheduler every
minute) retries whatever is left. Staff see the queue at ``/<lang>/admin/mail/``.
"""

from __future__ import annotations

from flask import Flask, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...privacy import registry as personal_data
from . import personal, sending
from .cli import mail_cli
from .queue import send  # noqa: F401 - the outbox's one entry point: ``outbox.send(message)``


def _after_commit(session: Session) -> None:
    if has_app_context():
        sending.start_attempt(session)
    else:
        sending.forget(session)


event.listen(Session, "after_flush", sending.collect_new)
event.listen(Session, "after_rollback", sending.forget)
event.listen(Session, "after_commit", _after_commit)


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
    sending.install_attempts(app)
    personal_data.register("mail", export=personal.export, erase=personal.erase)
