"""The one kind of error a rule raises when it refuses something a person asked for.

``message`` is translatable text (a lazy string) that the view shows in the reader's language, as
a form error or a flash; each domain names its own subclass so that a view can tell them apart.
"""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message) -> None:  # noqa: ANN001 - a lazy string
        super().__init__(str(message))
        self.message = message
