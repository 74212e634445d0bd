"""Fixtures for the outbox: messages waiting in it, and an SMTP server that drops the line."""

from __future__ import annotations

import pytest

from forum_app.core.extensions import db

from ..notes import note


@pytest.fixture
def queue(app):
    """``queue(["a@example.org", ...])`` puts one message per address into the outbox, committed
    the way a domain does it (queued before the commit)."""

    def make(addresses: list[str], subject: str = "Hej") -> None:
        with app.app_context():
            for address in addresses:
                note(address, subject)
            db.session.commit()

    return make


@pytest.fixture
def no_attempt(app):
    """Leave every new message to the sender (no attempt right after the commit)."""
    app.config["MAIL_AFTER_COMMIT"] = "off"


class DroppingRecorder:
    """Keeps what it accepts; on the ``drop_at``-th message it hangs up before answering."""

    def __init__(self, recorder) -> None:  # noqa: ANN001
        self.recorder = recorder
        self.drop_at: int | None = None
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.seen += 1
        if self.drop_at is not None and self.seen == self.drop_at:
            server.transport.close()  # the sender never gets an answer: not delivered
            return "421 closing"
        return await self.recorder.handle_DATA(server, session, envelope)


@pytest.fixture
def dropping_smtp(app):
    from aiosmtpd.controller import Controller

    from ..conftest import SMTPRecorder
    from ..pg import free_port

    recorder = SMTPRecorder()
    handler = DroppingRecorder(recorder)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield handler
    controller.stop()
