"""Where domains add themselves to shared pages: the main menu, the home page, the dashboard, a
forum's public and staff pages, and the core team's workspace.

Each domain's ``init_app`` adds a *panel*: a template and, where it shows data, the query that
fetches it (``data``, called with the forum for forum panels). The page's view asks
:func:`panels` and hands each template its data, so the site package never imports a domain and
templates receive data rather than running queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from flask_login import current_user

PLACES = ("home", "dashboard", "forum_admin", "forum_public", "workspace")


@dataclass(frozen=True)
class Panel:
    template: str
    data: Callable | None = None
    ability: str | None = None  # shown only to those who have it (see web/permissions.py)


def _registry(app: Flask) -> dict:
    return app.extensions.setdefault("forum_registry", {"nav": [], **{place: [] for place in PLACES}})


def add_nav(app: Flask, endpoint: str, label) -> None:  # noqa: ANN001 - a lazy string
    _registry(app)["nav"].append((endpoint, label))


def add_home_section(app: Flask, template: str, data: Callable | None = None) -> None:
    _registry(app)["home"].append(Panel(template, data))


def add_dashboard_panel(app: Flask, template: str, ability: str | None = None, data: Callable | None = None) -> None:
    """A panel of the staff dashboard, for those with ``ability`` (everyone on the dashboard if None)."""
    _registry(app)["dashboard"].append(Panel(template, data, ability))


def add_forum_admin_panel(app: Flask, template: str, data: Callable | None = None) -> None:
    """A section on the staff page of one forum (registrations, what to order, results...); ``data(forum)``."""
    _registry(app)["forum_admin"].append(Panel(template, data))


def add_forum_public_panel(app: Flask, template: str, data: Callable | None = None) -> None:
    """A section on a forum's public invitation page (e.g. its published results); ``data(forum)``."""
    _registry(app)["forum_public"].append(Panel(template, data))


def add_workspace_panel(app: Flask, template: str, data: Callable | None = None) -> None:
    """A section of the core team's workspace (forum results, draft recommendations...)."""
    _registry(app)["workspace"].append(Panel(template, data))


def panels(place: str, *args) -> list[tuple[str, object]]:  # noqa: ANN002 - the forum, for forum panels
    """``(template, data)`` for each panel of ``place`` the current reader may see, data fetched now."""
    shown = [p for p in _registry(current_app)[place] if p.ability is None or current_user.can(p.ability)]
    return [(p.template, p.data(*args) if p.data else None) for p in shown]


def init_app(app: Flask) -> None:
    def public_nav():
        return _registry(current_app)["nav"]

    app.jinja_env.globals.update(public_nav=public_nav)
