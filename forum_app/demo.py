"""``flask demo``: realistic demo data for a laptop or a test city; safe to run twice."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .accounts.models import Role, User
from .core.extensions import db
from .coreteam.demo import load_demo_coreteam
from .impact.demo import load_demo_impact, load_demo_past_year
from .newsletter.demo import load_demo_newsletter
from .planning.demo import load_demo_plan
from .recommendations.demo import load_demo_recommendations
from .registrations.demo import load_demo_registrations

DEMO_PASSWORD = "demo-password-2027"
DEMO_USERS = [
    ("admin@example.org", Role.ADMIN, "Amina Yusuf", "sv"),
    ("coreteam@example.org", Role.CORETEAM, "Dawit Tesfay", "ti"),
    ("official@example.org", Role.OFFICIAL, "Karin Lindqvist", "sv"),
]


def load_demo_users() -> list[User]:
    users = []
    for email, role, name, language in DEMO_USERS:
        user = User.by_email(email)
        if user is None:
            user = User(email=email, role=role, name=name, language=language)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
        users.append(user)
    db.session.commit()
    return users


def load_demo() -> None:
    load_demo_users()
    forums = load_demo_plan()
    load_demo_registrations(forums)
    load_demo_coreteam()
    load_demo_recommendations(forums)
    load_demo_impact(forums)
    load_demo_past_year()
    load_demo_newsletter()


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load demo data (safe to run twice)."""
    if current_app.config["FORUM_ENV"] == "production":
        raise click.ClickException("Refusing to load demo data with FORUM_ENV=production.")
    load_demo()
    click.echo("Demo data loaded. Log in with one of these (password: %s):" % DEMO_PASSWORD)
    for email, role, _name, _lang in DEMO_USERS:
        click.echo(f"  {role.value:9} {email}")
