"""Messages for tests of the outbox itself: the operations team's test message (``mail.outbox.probe``),
with the subject and text a test gives, queued exactly as a domain queues its own."""

from __future__ import annotations

from forum_app.mail.outbox import recipes
from forum_app.mail.outbox.probe import queue_probe


def note(to: str, subject: str = "Hej", text: str = "Text", lang: str = "sv", channel: str = recipes.EMAIL) -> None:
    """Queue a message to ``to`` in the current transaction (commit it with the change)."""
    queue_probe(to, channel=channel, lang=lang, subject=subject, text=text)
