"""``flask newsletter send-due``: one pass of the sending job, by hand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .sending import send_due

newsletter_cli = AppGroup("newsletter", help="The newsletter.")


@newsletter_cli.command("send-due")
def send_due_command() -> None:
    """Send every issue whose time has come to every confirmed subscriber not yet sent it."""

    click.echo(f"Sent {send_due()} messages.")
