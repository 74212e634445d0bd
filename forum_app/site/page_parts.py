"""The parts every page shares: links to the page in the other languages, the header, the footer.

For a visitor who is not logged in they depend only on the language, the page's address, the settings
and the code (templates, translations), so the same input always gives the same HTML. They are
rendered once per language and address and then reused: they are a large part of rendering a public
page, and every QR-code scan would pay it. A logged-in person's header and footer (their email,
the log-out form's token) are rendered every time; with template auto-reload (development) nothing is
remembered, so an edited template shows at once. The table is per process and bounded; being a pure
function of its key, it never disagrees between workers or hosts.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from ..i18n import current_language

MAX_ENTRIES = 5000


def shared_part(template: str, per_address: bool = False) -> Markup:
    app = current_app._get_current_object()
    if app.jinja_env.auto_reload or current_user.is_authenticated:
        return Markup(render_template(template))
    key = (template, request.script_root, current_language(), request.full_path if per_address else "")
    parts = app.extensions["shared_page_parts"]
    html = parts.get(key)
    if html is None:
        if len(parts) >= MAX_ENTRIES:
            parts.clear()
        html = parts[key] = Markup(render_template(template))
    return html


def init_app(app: Flask) -> None:
    app.extensions["shared_page_parts"] = {}
    app.jinja_env.globals["shared_part"] = shared_part
