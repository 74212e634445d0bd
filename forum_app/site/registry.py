"""Where domains add themselves to shared pages: the main menu, the home page, the dashboard.

Each domain's ``init_app`` calls these, so the site package never imports a domain's views.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user


def _lists(app: Flask) -> dict:
    return app.extensions.setdefault("forum_registry",
                                     {"nav": [], "home": [], "dashboard": [], "forum_admin": [],
                                      "workspace": [], "forum_public": []})


def add_nav(app: Flask, endpoint: str, label) -> None:  # noqa: ANN001 - a lazy string
    _lists(app)["nav"].append((endpoint, label))


def add_home_section(app: Flask, template: str) -> None:
    _lists(app)["home"].append(template)


def add_dashboard_panel(app: Flask, template: str, ability: str | None = None) -> None:
    """A panel of the staff dashboard, shown to those with ``ability`` (everyone on the dashboard if None)."""
    _lists(app)["dashboard"].append((template, ability))


def add_forum_admin_panel(app: Flask, template: str) -> None:
    """A section on the staff page of one forum (registrations, what to order, results...)."""
    _lists(app)["forum_admin"].append(template)


def add_forum_public_panel(app: Flask, template: str) -> None:
    """A section on a forum's public invitation page (e.g. its published results)."""
    _lists(app)["forum_public"].append(template)


def add_workspace_panel(app: Flask, template: str) -> None:
    """A section of the core team's workspace (forum results, draft recommendations...)."""
    _lists(app)["workspace"].append(template)


def init_app(app: Flask) -> None:
    def public_nav():
        return _lists(current_app)["nav"]

    def home_sections():
        return _lists(current_app)["home"]

    def dashboard_panels():
        return [t for t, ability in _lists(current_app)["dashboard"]
                if ability is None or current_user.can(ability)]

    def forum_admin_panels():
        return _lists(current_app)["forum_admin"]

    def forum_public_panels():
        return _lists(current_app)["forum_public"]

    def workspace_panels():
        return _lists(current_app)["workspace"]

    app.jinja_env.globals.update(forum_public_panels=forum_public_panels, workspace_panels=workspace_panels, public_nav=public_nav, home_sections=home_sections,
                                 dashboard_panels=dashboard_panels, forum_admin_panels=forum_admin_panels)
