"""``flask create-user EMAIL --role ROLE``: the password comes from a prompt or standard input."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .models import Role
from .services import AccountError, create_user


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="", help="Name shown to colleagues.")
@click.option("--language", default="sv", help="Interface language for emails to this user.")
@with_appcontext
def create_user_command(email: str, role: str, name: str, language: str) -> None:
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(email, role, password, name=name, language=language)
    except AccountError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Created {user.role.value} {user.email}")
