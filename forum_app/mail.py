"""Email: building messages, and :func:`send`, which puts one into the outbox.

Messages are multipart (plain text and HTML) and rendered in the recipient's language, with
``dir="rtl"`` for Arabic and Persian. ``send`` does not talk to a mail server: it adds a row to
the outbox in the current transaction (see ``outbox/``), so it must be called *before* the
commit of the change that causes the message. After that commit the app tries to send the row
in the background, and the scheduler's sender retries what is left. Delivery goes through SMTP
when ``MAIL_SERVER`` is set, otherwise into ``.eml`` files in the outbox folder. Bulk senders
open one connection per batch with :func:`connection`.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from .extensions import db
from .i18n import LANGUAGES
from .storage import write_whole


@dataclass
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str
    params: dict = field(default_factory=dict)


def render_parts(template: str, lang: str, context: dict) -> tuple[str, str]:
    """The plain text and HTML of ``<template>.txt`` and ``<template>.html`` in ``lang``."""
    with force_locale(lang):
        ctx = {**context, "lang": lang, "direction": LANGUAGES[lang].direction}
        return render_template(f"{template}.txt", **ctx), render_template(f"{template}.html", **ctx)


def build_message(*, to: str, subject: str, template: str, lang: str, context: dict,
                  attachments: list[Attachment] | None = None, headers: dict | None = None) -> Message:
    """Render ``<template>.txt`` and ``<template>.html`` in ``lang`` into one message."""
    text, html = render_parts(template, lang, context)
    with force_locale(lang):
        subject = str(subject)
    return compose(to=to, subject=subject, text=text, html=html, lang=lang, attachments=attachments,
                   headers=headers)


_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def header_text(value: object) -> str:
    """Any text made safe for a header: line breaks (which would end the header, or make the
    email library refuse it) become spaces."""
    return " ".join(_LINE_BREAKS.sub(" ", str(value)).split())


def _header(name: str, value: object) -> str | Header:
    text = header_text(value)
    return text if text.isascii() else Header(text, "utf-8", header_name=name)


def _address(value: str) -> str:
    """``Name <address>`` with a name outside ASCII encoded, the address left as it is."""
    text = header_text(value)
    name, address = parseaddr(text)
    if not address or not address.isascii():  # letters outside ASCII in the address itself (SMTPUTF8)
        return text
    return formataddr((name, address), charset="utf-8")


def sender_address() -> str:
    """The address alone of ``MAIL_DEFAULT_SENDER``, which may carry a name ("Migrantforum Malmö <forum@…>")."""
    configured = current_app.config["MAIL_DEFAULT_SENDER"]
    return parseaddr(configured)[1] or configured


def _part(attachment: Attachment) -> MIMEBase:
    part = MIMEBase(attachment.maintype, attachment.subtype, **attachment.params)
    part.set_payload(attachment.content)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def compose(*, to: str, subject: str, text: str, html: str, lang: str, attachments: list[Attachment] | None = None,
            headers: dict | None = None) -> Message:
    """A multipart message (plain text and HTML, then any attachments) in ``lang``.

    Built with the ``email.mime`` classes rather than ``EmailMessage``: the same message for a mail
    reader, at a third of the CPU (``EmailMessage`` parses every header it sets again, and a
    registration writes its confirmation while the person waits). Every header value goes through
    :func:`header_text`, so no line break from anyone's text reaches a header.
    """
    message = MIMEMultipart("alternative", _subparts=[MIMEText(text, "plain", "utf-8"),
                                                      MIMEText(html, "html", "utf-8")])
    if attachments:
        message = MIMEMultipart("mixed", _subparts=[message, *(_part(attachment) for attachment in attachments)])
    message["Subject"] = _header("Subject", subject)
    message["From"] = _address(current_app.config["MAIL_DEFAULT_SENDER"])
    message["To"] = _address(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender_address().split("@")[-1])
    for name, value in (headers or {}).items():
        message[name] = _header(name, value)
    message["Content-Language"] = lang
    return message


class _Meanwhile:
    """An SMTP client that can do one piece of work of ours while the server answers the next command
    (``meanwhile``, run once, right after the command went out). The senders write the previous
    message's "sent" mark this way, during the round trip of the next message's ``MAIL FROM``: before
    the server has that message's ``DATA``, so at most one accepted message is ever unmarked, as before,
    and the mark no longer adds to the time a message takes (benchmarks/mail.py)."""

    meanwhile = None

    def getreply(self):  # noqa: ANN201 - smtplib's (code, text)
        work, self.meanwhile = self.meanwhile, None
        if work is None:
            return super().getreply()
        try:
            _run(work)
        finally:
            reply = super().getreply()  # read even when the work failed: the dialogue stays in step
        return reply


class MeanwhileFailed(RuntimeError):
    """The work given to :meth:`SMTPConnection.send_raw` failed (its error is the cause): not the message's
    fault, nor the connection's."""


def _run(work) -> None:  # noqa: ANN001
    try:
        work()
    except Exception as error:
        raise MeanwhileFailed(str(error)) from error


class _Client(_Meanwhile, smtplib.SMTP):
    pass


class _ClientSSL(_Meanwhile, smtplib.SMTP_SSL):
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


class Outbox:
    """Stands in for an SMTP connection when no server is configured: one .eml file a message."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send_raw(self, raw: bytes, recipient: str, meanwhile=None) -> None:  # noqa: ANN001, ARG002 - the file holds the To header
        if meanwhile is not None:
            _run(meanwhile)
        name = f"{formatdate(usegmt=True).replace(' ', '_').replace(',', '').replace(':', '')}-{uuid.uuid4().hex[:8]}.eml"
        write_whole(self.folder / name, raw, sync=False)  # never an empty or cut-off .eml on a full disk

    def quit(self) -> None:
        pass


class CannotCarry(ValueError):
    """This one message cannot go over this connection (the others can)."""


class SMTPConnection:
    """An open SMTP connection that sends messages stored as bytes (the outbox, the newsletter)."""

    def __init__(self, client: smtplib.SMTP) -> None:
        self.client = client
        self.sender = sender_address()  # once per connection, not per message

    def send_raw(self, raw: bytes, recipient: str, meanwhile=None) -> None:  # noqa: ANN001
        """Send one message. ``meanwhile`` (the previous message's mark) runs exactly once, whatever
        happens: while the server answers this message's first command, or before this raises."""
        client, sender = self.client, self.sender
        client.meanwhile = meanwhile
        try:
            recipients = envelope_recipients(recipient)
            options = []
            if not all(address.isascii() for address in (sender, *recipients)):  # as smtplib's send_message
                client.ehlo_or_helo_if_needed()
                if not client.has_extn("smtputf8"):
                    raise CannotCarry("the mail server does not take addresses with letters outside ASCII")
                options = ["SMTPUTF8", "BODY=8BITMIME"]
            client.sendmail(sender, recipients, raw, mail_options=options)
        finally:
            work, client.meanwhile = client.meanwhile, None
            if work is not None:  # no command went out (a closed connection, an address it cannot carry)
                _run(work)

    def rset(self) -> None:
        self.client.rset()

    def quit(self) -> None:
        self.client.quit()


_SMTP_POLICY = compat32.clone(linesep="\r\n")


def as_smtp_bytes(message: Message) -> bytes:
    """The message as it goes over SMTP (and is kept in the outbox): bytes with CRLF line ends."""
    return message.as_bytes(policy=_SMTP_POLICY)


def envelope_recipients(to: str) -> list[str]:
    if not any(mark in to for mark in '<,"('):  # a bare address, as the outbox stores most: nothing to parse
        return [to.strip()]
    return [address for _name, address in getaddresses([to]) if address] or [to]


@contextmanager
def connection():
    """One connection for many messages."""
    client = SMTPConnection(_smtp()) if current_app.config["MAIL_SERVER"] else Outbox(current_app.config["MAIL_OUTBOX"])
    try:
        yield client
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            pass


class Line:
    """A sender's one connection for a whole pass: opened when the first message needs it (a pass with
    nothing to send connects to nothing), closed when the pass ends. Both senders use it."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._connection = None
        self.broken = False  # set by a sender when the connection failed: the pass ends

    @property
    def connected(self) -> bool:
        return self._connection is not None

    def get(self):  # noqa: ANN201 - an SMTPConnection or, with no server configured, an Outbox
        if self._connection is None:
            self._connection = self._stack.enter_context(connection())
        return self._connection

    def __enter__(self) -> "Line":
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self._stack.close()


@dataclass(frozen=True)
class Flattened:
    """A message as the outbox keeps it: who it goes to, its subject and its bytes."""

    recipient: str
    subject: str
    raw: bytes


def flattened(message: Message) -> Flattened:
    return Flattened(str(message["To"] or "")[:320], str(message["Subject"] or "")[:300], as_smtp_bytes(message))


def send(message: Message) -> None:
    """Put ``message`` into the outbox as part of the current transaction (commit it with the change)."""
    from .outbox.models import OutboxMessage  # not at the top: the outbox's sender imports this module

    db.session.add(OutboxMessage.of(message))


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
