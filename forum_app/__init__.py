"""The migrant forum platform: ``create_app`` builds the Flask application."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

import config

# The composition root: it imports every domain (nothing imports it), so that importing any one
# module of the package stays cheap and the domains never import each other upwards.
from . import accounts, api, coreteam, i18n, impact, newsletter, planning, recommendations, registrations
from .accounts.admin import bp as users_bp
from .accounts.cli import create_user_command
from .accounts.models import Anonymous, User
from .accounts.views import bp as accounts_bp
from .core import audit, database, throttle  # noqa: F401 - imported for what they register
from .core.extensions import babel, csrf, db, login_manager, migrate, talisman
from .demo import demo_command
from .i18n import templating as i18n_templating
from .jobs import heartbeat  # noqa: F401
from .jobs.backup import backup_command, restore_command
from .mail import admin as mail_queue
from .mail import outbox
from .privacy import admin as privacy_requests
from .privacy import notice as privacy
from .privacy import registry as personal_data  # noqa: F401
from .privacy.admin import privacy_cli
from .scheduler import scheduler_command
from .site import audit_log, crawlers, page_parts, translations
from .site import errors as error_pages
from .site.views import admin as admin_bp
from .site.views import bp as site_bp
from .web import http_cache, security_headers, seo, static_files
from .web import panels as registry
from .web.jinja import Environment
from .web.links import IdConverter

ROOT = Path(__file__).resolve().parent.parent

class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS, whatever the config says."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or bool(request and request.is_secure)


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = ((test_config or {}).get("INSTANCE_PATH") or os.environ.get("FORUM_INSTANCE_PATH")
                     or str(ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # Before anything touches app.jinja_env, which Flask creates from this class on first use:
    # Flask's environment, importing macros faster (see forum_app/templating.py).
    app.jinja_environment = Environment
    app.config.update(config.load(app.instance_path, test_config))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "sv")
    app.session_interface = SessionInterface()
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    app.url_map.converters["int"] = IdConverter  # before any route is added
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.current_language,
                   timezone_selector=lambda: app.config["TIMEZONE"])
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.anonymous_user = Anonymous
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the proxy; see "Deploying" in the README
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        strict_transport_security=True,
        **security_headers.talisman_options(),  # the same headers on static files (static_files)
    )
    i18n.init_app(app)
    i18n_templating.init_app(app)
    # After the extensions: the cache rule runs last, WhiteNoise wraps the finished WSGI app.
    http_cache.init_app(app)  # Cache-Control, ETag and 304: one rule for every response
    static_files.init_app(app)  # content-hashed, compressed static files served by WhiteNoise
    outbox.init_app(app)  # mail.send writes to the outbox; sent right after the commit

    @login_manager.user_loader
    def load_user(user_id: str):
        # "<id>.<session version>": a session from before a logout or a new password no longer loads.
        number, _dot, version = user_id.partition(".")
        user = db.session.get(User, int(number)) if number.isdigit() and len(number) < 12 else None
        return user if user is not None and str(user.session_version) == version else None


def _register_blueprints(app: Flask) -> None:
    for blueprint in (site_bp, crawlers.bp, admin_bp, accounts_bp, users_bp):
        app.register_blueprint(blueprint)
    accounts.init_app(app)  # its part of access and erasure by address (personal_data)
    error_pages.init_app(app)
    registry.init_app(app)
    # The site's parts, before the domains add their templates and panels.
    page_parts.init_app(app)  # header, footer and language links: rendered once per language and address
    seo.init_app(app)  # absolute addresses of a page in every language, for search engines and link previews
    privacy.init_app(app)  # privacy_url() for email footers
    mail_queue.init_app(app)  # /<lang>/admin/mail/ and the dashboard's warnings about mail and the scheduler
    privacy_requests.init_app(app)  # /<lang>/admin/privacy/: access and erasure by address
    audit_log.init_app(app)  # /<lang>/admin/audit/
    for domain in (planning, registrations, coreteam, recommendations, impact, newsletter, api):
        domain.init_app(app)
    translations.init_app(app)  # /<lang>/admin/translations/: what the domains' staff content lacks


def _register_cli(app: Flask) -> None:
    for command in (create_user_command, demo_command, backup_command, restore_command, scheduler_command,
                    privacy_cli):  # flask privacy export|erase ADDRESS
        app.cli.add_command(command)
