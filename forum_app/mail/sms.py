"""Carrying SMS (placeholder until the Kannel transport lands: a folder of text files)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

from ..core.storage import write_whole


class SmsTemporary(Exception):
    """Kannel could not be reached or is busy: try again later."""


class SmsRefused(Exception):
    """Kannel refused this message: trying again will not help."""


def describe(error: Exception) -> str:
    return (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[:500]


class SmsFolder:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, to: str, text: str) -> None:
        write_whole(self.folder / f"{uuid.uuid4().hex}.txt", f"To: {to}\n\n{text}\n".encode(), sync=False)

    def quit(self) -> None:
        pass


@contextmanager
def connection():
    yield SmsFolder(current_app.config.get("SMS_OUTBOX") or str(Path(current_app.instance_path) / "sms"))
