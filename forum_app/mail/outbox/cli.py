"""``flask --app forum_app mail send-due [--retry-now]``: one pass of the outbox sender."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ...jobs import claims
from . import sending

mail_cli = AppGroup("mail", help="The outbox of emails.")


@mail_cli.command("send-due")
@click.option("--retry-now", is_flag=True, help="Also send messages that wait for their next try.")
def send_due_command(retry_now: bool) -> None:
    """Send what is due. Exits 0 also when the mail server cannot be reached (the messages wait), and when
    stopped by SIGTERM or Ctrl+C, after the message on the wire (the rest wait for the next pass)."""
    with claims.stop_on_signals():
        result = sending.send_due(retry_now=retry_now)
    if claims.stopping():
        click.echo("Stopped when asked to; the rest wait for the next pass.")
    if result.unreachable:
        click.echo(f"The mail server could not be reached ({result.unreachable}). "
                   f"{result.retrying} message(s) wait for the next try.")
    click.echo(f"Sent {result.sent}, waiting for a retry {result.retrying}, failed {result.failed}.")
    waiting = sending.counts()["waiting"]
    if waiting:
        click.echo(f"{waiting} message(s) in the outbox wait for a later try.")
