"""Composing email: a message in the recipient's language, plain text and HTML (``dir="rtl"`` for Arabic
and Persian), with attachments such as a calendar file, and its bytes as they go over SMTP.

Nothing here sends anything: a domain queues a message in the outbox with the change that causes it
(``mail.outbox.recipes``), the sender writes it with these functions just before it goes, and
``mail.transport`` carries the bytes to a mail server (or a folder).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, getaddresses, make_msgid, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale

from ..i18n import LANGUAGES


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
    reader for much less work, because ``EmailMessage`` parses every header it sets again, and a
    registration writes its confirmation while the person waits. Every header value goes through
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
    # RFC 3834: every message here is written by the program, so no mailbox answers it automatically
    # (no out-of-office replies to a confirmation, no loops between two robots).
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (headers or {}).items():
        message[name] = _header(name, value)
    message["Content-Language"] = lang
    return message


def list_headers(label: str, unsubscribe_url: str) -> dict:
    """The headers of a message to a mailing list such as the newsletter: which list (RFC 2919, a label
    under the sender's domain, so mail programs can filter it), how to leave it with one click (RFC 2369,
    RFC 8058), and ``Precedence: bulk``, which the auto-responders that predate RFC 3834 still read."""
    return {"List-Id": f"<{label}.{sender_address().split('@')[-1]}>", "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Precedence": "bulk"}


_SMTP_POLICY = compat32.clone(linesep="\r\n")


def as_smtp_bytes(message: Message) -> bytes:
    """The message as it goes over SMTP (and is kept in the outbox): bytes with CRLF line ends."""
    return message.as_bytes(policy=_SMTP_POLICY)


def envelope_recipients(to: str) -> list[str]:
    if not any(mark in to for mark in '<,"('):  # a bare address, as the outbox stores most: nothing to parse
        return [to.strip()]
    return [address for _name, address in getaddresses([to]) if address] or [to]
