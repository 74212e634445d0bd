"""A message that checks the way to a person: ``flask mail send-test ADDRESS`` queues one to an email
address or a phone number and sends it at once, through the same queue and sender as every other
message, so what it proves holds for them too (the operations team's first check after a deployment or a
change of mail server or SMS operator)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape

from .. import compose
from . import recipes
from .models import OutboxMessage

PROBE = "mail.probe"


def _default_subject() -> str:
    return _("Test message from the migrant forum")


def _default_text() -> str:
    return _("This message checks that the migrant forum's platform can reach you. You do not need to do anything.")


def queue_probe(to: str, *, channel: str = recipes.EMAIL, lang: str = "sv", subject: str = "",
                text: str = "") -> OutboxMessage:
    """Queue the test message in the current transaction. ``subject`` and ``text`` replace the standard ones."""
    with force_locale(lang):
        subject = subject or _default_subject()
    return recipes.queue(to, subject, PROBE, channel=channel, to=to, subject=subject, text=text, lang=lang)


@recipes.writer(PROBE)
def write_probe(recipe: dict):  # noqa: ANN201 - the SMS text, or an email.message.Message
    lang = recipe["lang"]
    with force_locale(lang):
        text = recipe["text"] or _default_text()
        if recipe["channel"] == recipes.SMS:
            return text
        return compose.compose(to=recipe["to"], subject=recipe["subject"] or _default_subject(), text=text,
                               html=f"<p>{escape(text)}</p>", lang=lang)
