"""``flask --app forum_app mail send-due [--retry-now]``: one pass of the outbox sender."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ...core.extensions import db
from ...i18n import LANGUAGES
from ...jobs import claims
from . import attempts, queries, recipes, sending
from .probe import queue_probe

mail_cli = AppGroup("mail", help="The outbox of emails and SMS.")


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
        click.echo(f"A server could not be reached ({result.unreachable}). "
                   f"{result.retrying} message(s) wait for the next try.")
    click.echo(f"Sent {result.sent}, waiting for a retry {result.retrying}, failed {result.failed}"
               f"{f', no longer needed {result.dropped}' if result.dropped else ''}.")
    waiting = queries.counts()["waiting"]
    if waiting:
        click.echo(f"{waiting} message(s) in the outbox wait for a later try.")


@mail_cli.command("send-test")
@click.argument("address")
@click.option("--sms", is_flag=True, help="ADDRESS is a phone number: send an SMS.")
@click.option("--lang", default="sv", type=click.Choice(sorted(LANGUAGES)), help="The message's language.")
def send_test_command(address: str, sms: bool, lang: str) -> None:
    """Queue a test message to ADDRESS and send it now, through the queue and sender every message takes."""
    row = queue_probe(address, channel=recipes.SMS if sms else recipes.EMAIL, lang=lang)
    db.session.flush()
    ids = [row.id]
    attempts.forget(db.session)  # sent here and now, not by a background attempt
    db.session.commit()
    result = sending.send_now(ids)
    if result.sent:
        click.echo(f"Sent to {address}.")
    else:
        reason = result.unreachable or "; ".join(result.errors) or "see /admin/mail/"
        click.echo(f"Not sent ({reason}). The message waits in the outbox.")
        raise SystemExit(1)
