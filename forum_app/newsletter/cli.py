"""``flask newsletter send-due``: one pass of the sending job, by hand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..jobs import claims
from .sending import send_due

newsletter_cli = AppGroup("newsletter", help="The newsletter.")


@newsletter_cli.command("send-due")
def send_due_command() -> None:
    """Send every issue whose time has come to every confirmed subscriber not yet sent it. Stopped by
    SIGTERM or Ctrl+C, it finishes the message on the wire and leaves the rest to the next pass."""
    with claims.stop_on_signals():
        sent = send_due()
    if claims.stopping():
        click.echo("Stopped when asked to; the rest wait for the next pass.")
    click.echo(f"Sent {sent} messages.")
