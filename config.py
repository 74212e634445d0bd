"""Settings, read from environment variables with safe defaults.

Every setting is listed in the README's table. Nothing secret is a constant in the code: in
development the secret key is generated once and kept in the instance folder; in production
(``FORUM_ENV=production``) it must come from the environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc


def _secret_key(instance_path: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when FORUM_ENV=production")
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _base_url(production: bool) -> str:
    value = os.environ.get("BASE_URL", "").rstrip("/")
    if not value and production:
        raise ConfigError("BASE_URL must be set when FORUM_ENV=production, e.g. https://forum.example.se")
    return value or "http://127.0.0.1:5000"


def load(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the application's settings as a dict for ``app.config.update``."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    overrides = overrides or {}
    production = os.environ.get("FORUM_ENV", "development") == "production"

    database_url = overrides.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not database_url:
        database_url = f"sqlite:///{instance / 'forum.sqlite3'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]

    settings = {
        "FORUM_ENV": "production" if production else "development",
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance, production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CITY_NAME": os.environ.get("CITY_NAME", "Exempelstad"),
        "TIMEZONE": os.environ.get("TIMEZONE", "Europe/Stockholm"),
        # Public address for links in emails, calendar files and posters (also outside a request).
        "BASE_URL": _base_url(production),
        # Mail: SMTP when MAIL_SERVER is set, otherwise .eml files in the outbox folder.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "migrantforum@example.org"),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX", str(instance / "outbox")),
        # Reminder emails to participants, this many days before their forum.
        "REMINDER_DAYS_BEFORE": _int("REMINDER_DAYS_BEFORE", 2),
        # The responsible official is reminded when a measure in progress has had no update this long.
        "RECOMMENDATION_SILENCE_DAYS": _int("RECOMMENDATION_SILENCE_DAYS", 90),
        # Newsletter messages sent over one SMTP connection, and claimed at once by one sender.
        "NEWSLETTER_BATCH_SIZE": _int("NEWSLETTER_BATCH_SIZE", 100),
        # Registrations lose names, contact details and needs this many days after their forum.
        "REGISTRATION_RETENTION_DAYS": _int("REGISTRATION_RETENTION_DAYS", 183),
        # Slowing repeated failed logins: this many failures within the window give 429.
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_FAILURE_WINDOW_MINUTES": _int("LOGIN_FAILURE_WINDOW_MINUTES", 15),
        # Cookies: the session cookie is also marked Secure whenever the request came over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 8 * 3600),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024),
    }
    settings.update(overrides)
    return settings
