"""Sending email: SMTP when ``MAIL_SERVER`` is set, otherwise ``.eml`` files in the outbox folder.

Messages are multipart (plain text and HTML) and rendered in the recipient's language, with
``dir="rtl"`` for Arabic and Persian. Bulk senders (the newsletter) open one connection per batch
with :func:`connection`.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from .i18n import LANGUAGES


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
                  attachments: list[Attachment] | None = None, headers: dict | None = None) -> EmailMessage:
    """Render ``<template>.txt`` and ``<template>.html`` in ``lang`` into one message."""
    text, html = render_parts(template, lang, context)
    with force_locale(lang):
        subject = str(subject)
    return compose(to=to, subject=subject, text=text, html=html, lang=lang, attachments=attachments,
                   headers=headers)


def compose(*, to: str, subject: str, text: str, html: str, lang: str, attachments: list[Attachment] | None = None,
            headers: dict | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_DEFAULT_SENDER"].split("@")[-1])
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for attachment in attachments or []:
        message.add_attachment(attachment.content, maintype=attachment.maintype, subtype=attachment.subtype,
                               filename=attachment.filename, params=attachment.params)
    message["Content-Language"] = lang  # after the parts: setting content clears Content-* headers
    return message


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    if config["MAIL_USE_SSL"]:
        client = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
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

    def send_message(self, message: EmailMessage) -> None:
        name = f"{formatdate(usegmt=True).replace(' ', '_').replace(',', '').replace(':', '')}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(bytes(message))

    def quit(self) -> None:
        pass


@contextmanager
def connection():
    """One connection for a batch of messages."""
    client = _smtp() if current_app.config["MAIL_SERVER"] else Outbox(current_app.config["MAIL_OUTBOX"])
    try:
        yield client
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            pass


def send(message: EmailMessage) -> None:
    with connection() as client:
        client.send_message(message)
