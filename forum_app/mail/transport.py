"""Carrying email: one SMTP connection for many messages (or, with no ``MAIL_SERVER``, a folder of ``.eml``
files standing in for one), and what a failure means (try again later, or not).
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from contextlib import contextmanager
from email.utils import formatdate
from pathlib import Path

from flask import current_app

from ..core.storage import write_whole
from .compose import envelope_recipients, sender_address


class _WorkWhileServerAnswers:
    """An SMTP client that does one piece of our work while the server answers the next command
    (``while_server_answers``, run once, right after the command went out). The senders write the
    previous message's "sent" mark this way, inside the round trip of the next message's ``MAIL FROM``:
    the write overlaps the wait instead of adding to it, and it still comes before the server has that
    message's ``DATA``, so at most one accepted message is ever unmarked."""

    while_server_answers = None

    def getreply(self):  # noqa: ANN201 - smtplib's (code, text)
        work, self.while_server_answers = self.while_server_answers, None
        if work is None:
            return super().getreply()
        try:
            run_work(work)
        finally:
            reply = super().getreply()  # read even when the work failed: the dialogue stays in step
        return reply


class WorkWhileServerAnswersFailed(RuntimeError):
    """The work given to :meth:`SMTPConnection.send_raw` failed (its error is the cause): not the message's
    fault, nor the connection's."""


def run_work(work) -> None:  # noqa: ANN001
    """Run a sender's work (a mark); its failure is told apart from the message's and the connection's."""
    try:
        work()
    except Exception as error:
        raise WorkWhileServerAnswersFailed(str(error)) from error


class _Client(_WorkWhileServerAnswers, smtplib.SMTP):
    pass


class _ClientSSL(_WorkWhileServerAnswers, smtplib.SMTP_SSL):
    pass


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    if config["MAIL_USE_SSL"]:
        client = _ClientSSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30,
                            context=ssl.create_default_context())
    else:
        client = _Client(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
        if config["MAIL_USE_TLS"]:
            client.starttls(context=ssl.create_default_context())
    if config["MAIL_USERNAME"]:
        client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return client


class MailFolder:
    """Stands in for an SMTP connection when no server is configured: one .eml file a message."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send_raw(self, raw: bytes, recipient: str,  # noqa: ARG002 - the file holds the To header
                 while_server_answers=None) -> None:  # noqa: ANN001
        if while_server_answers is not None:  # no server here: the work runs first
            run_work(while_server_answers)
        name = f"{formatdate(usegmt=True).replace(' ', '_').replace(',', '').replace(':', '')}-{uuid.uuid4().hex[:8]}.eml"
        write_whole(self.folder / name, raw, sync=False)  # never an empty or cut-off .eml on a full disk

    def quit(self) -> None:
        pass


class AddressNotSupported(ValueError):
    """The server cannot take this message's addresses (letters outside ASCII, and no SMTPUTF8): this one
    message fails, the connection goes on with the others."""


class SMTPConnection:
    """An open SMTP connection that sends messages stored as bytes (the outbox, the newsletter)."""

    def __init__(self, client: smtplib.SMTP) -> None:
        self.client = client
        self.sender = sender_address()  # once per connection, not per message

    def send_raw(self, raw: bytes, recipient: str, while_server_answers=None) -> None:  # noqa: ANN001
        """Send one message. ``while_server_answers`` (the previous message's mark) runs exactly once,
        whatever happens: while the server answers this message's first command, or before this raises."""
        client, sender = self.client, self.sender
        client.while_server_answers = while_server_answers
        try:
            recipients = envelope_recipients(recipient)
            options = []
            if not all(address.isascii() for address in (sender, *recipients)):  # as smtplib's send_message
                client.ehlo_or_helo_if_needed()
                if not client.has_extn("smtputf8"):
                    raise AddressNotSupported("the mail server does not take addresses with letters outside ASCII")
                options = ["SMTPUTF8", "BODY=8BITMIME"]
            client.sendmail(sender, recipients, raw, mail_options=options)
        finally:
            work, client.while_server_answers = client.while_server_answers, None
            if work is not None:  # no command went out (a closed connection, an address it cannot carry)
                run_work(work)

    def rset(self) -> None:
        self.client.rset()

    def quit(self) -> None:
        self.client.quit()


@contextmanager
def connection():
    """One connection for many messages."""
    client = SMTPConnection(_smtp()) if current_app.config["MAIL_SERVER"] else MailFolder(current_app.config["MAIL_OUTBOX"])
    try:
        yield client
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            pass


def is_temporary(error: Exception) -> bool:
    """A failure worth trying again later: no connection, a timeout, or a 4xx answer."""
    if isinstance(error, smtplib.SMTPResponseException):
        return not 500 <= error.smtp_code < 600
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(not 500 <= code < 600 for code, _msg in error.recipients.values())
    return isinstance(error, (smtplib.SMTPException, OSError))


def describe(error: Exception) -> str:
    """The server's own answer where there is one (``550 5.1.1 No such user``), else the error."""
    def text(code: int, msg: bytes | str) -> str:
        return f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(text(code, msg) for code, msg in error.recipients.values())[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        return text(error.smtp_code, error.smtp_error)[:500]
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:500]
