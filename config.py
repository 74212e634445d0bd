"""Settings, read from environment variables with safe defaults.

Every setting is listed in the README's table. Nothing secret is a constant in the code: in
development the secret key is generated once and kept in the instance folder; in production
(``FORUM_ENV=production``) it must come from the environment.
"""

from __future__ import annotations

import os
import secrets
from decimal import Decimal, InvalidOperation
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


def _decimal(name: str, default: str) -> Decimal:
    value = os.environ.get(name) or default
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ConfigError(f"{name} must be a number such as 0.45, not {value!r}") from exc


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
        # Outbox messages one sender claims at once (a pass sends batch after batch over one connection).
        "MAIL_BATCH_SIZE": _int("MAIL_BATCH_SIZE", 200),
        # Sent and failed messages are deleted from the outbox after this many days.
        "MAIL_RETENTION_DAYS": _int("MAIL_RETENTION_DAYS", 30),
        # Right after a commit, new messages are tried "background" (a thread), "inline" (tests) or
        # "off" (only the scheduler's sender sends).
        "MAIL_AFTER_COMMIT": os.environ.get("MAIL_AFTER_COMMIT", "background"),
        # SMS: Kannel's sendsms (e.g. http://127.0.0.1:13013/cgi-bin/sendsms) when SMS_URL is set, otherwise a
        # UTF-8 text file per SMS in SMS_OUTBOX. SMS_FROM is the sender shown on the phone (at most 11 letters
        # or a number; empty = the sendsms-user's default-sender in kannel.conf).
        "SMS_URL": os.environ.get("SMS_URL", ""),
        "SMS_USERNAME": os.environ.get("SMS_USERNAME", ""),
        "SMS_PASSWORD": os.environ.get("SMS_PASSWORD", ""),
        "SMS_FROM": os.environ.get("SMS_FROM", ""),
        "SMS_OUTBOX": os.environ.get("SMS_OUTBOX", str(instance / "sms")),
        # Where Kannel reports an SMS delivered or not (an address of this app that Kannel reaches; empty = no
        # delivery reports are asked for).
        "SMS_DLR_URL": os.environ.get("SMS_DLR_URL", ""),
        # The country a number written without one belongs to: with 46, "070 123 45 67" is +46701234567.
        "SMS_COUNTRY_CODE": os.environ.get("SMS_COUNTRY_CODE", "46").lstrip("+"),
        # What the operator charges for one SMS segment, in the budget's currency (staff see estimates).
        "SMS_SEGMENT_PRICE": _decimal("SMS_SEGMENT_PRICE", "0"),
        # How long a request waits for a lock (PostgreSQL: a forum's capacity lock; SQLite: the database's
        # write lock) before asking the person to try again. Pages that only read never wait for one.
        "LOCK_TIMEOUT_SECONDS": _int("LOCK_TIMEOUT_SECONDS", 5),
        # /healthz fails its "disk" check when the instance folder's disk has less room than this.
        "HEALTH_MIN_FREE_MB": _int("HEALTH_MIN_FREE_MB", 100),
        # A monitor that sends "Authorization: Bearer <HEALTHZ_TOKEN>" to /healthz gets each check's details and the
        # warnings (mail failing, the scheduler silent); anyone else gets the status and the failed checks' names.
        "HEALTHZ_TOKEN": os.environ.get("HEALTHZ_TOKEN", ""),
        # Reminder emails to participants, this many days before their forum.
        "REMINDER_DAYS_BEFORE": _int("REMINDER_DAYS_BEFORE", 2),
        # The responsible official is reminded when a measure in progress has had no update this long.
        "RECOMMENDATION_SILENCE_DAYS": _int("RECOMMENDATION_SILENCE_DAYS", 90),
        # Participants can answer the anonymous feedback this many days after a forum is marked held.
        "FEEDBACK_DAYS": _int("FEEDBACK_DAYS", 21),
        # The unit that runs the forum (Swedish department name): the impact page counts the other
        # departments that own a measure.
        "INTEGRATION_OFFICE_DEPARTMENT": os.environ.get("INTEGRATION_OFFICE_DEPARTMENT", "Integrationsenheten"),
        # Newsletter messages one sender claims at once (a pass sends batch after batch over one connection).
        "NEWSLETTER_BATCH_SIZE": _int("NEWSLETTER_BATCH_SIZE", 200),
        # People one client address may register online per hour, across forums (0 = no limit, e.g. for
        # a tablet at the venue). Counted behind the proxies of PROXY_COUNT.
        "REGISTRATION_LIMIT": _int("REGISTRATION_LIMIT", 20),
        # Children one registration may bring to the childcare, so that one registration cannot take every place.
        "MAX_CHILDREN_PER_REGISTRATION": _int("MAX_CHILDREN_PER_REGISTRATION", 4),
        # Emails that strangers can make the site send to one address (confirmations, new links,
        # newsletter and follow confirmations), per kind and day.
        "EMAILS_PER_ADDRESS_PER_DAY": _int("EMAILS_PER_ADDRESS_PER_DAY", 3),
        # Registrations lose names, contact details and needs this many days after their forum.
        "REGISTRATION_RETENTION_DAYS": _int("REGISTRATION_RETENTION_DAYS", 183),
        # Who is responsible for the personal data (the privacy notice) and how to reach them.
        "CONTROLLER_NAME": os.environ.get("CONTROLLER_NAME",
                                          f"{os.environ.get('CITY_NAME', 'Exempelstad')} kommun, kommunstyrelsen"),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "migrantforum@example.org"),
        "CONTACT_PHONE": os.environ.get("CONTACT_PHONE", "+46 00 000 00 00"),
        # Postal or visiting address of the integration office; with the two above it is in the footer of
        # every page and email. Empty settings are left out.
        "CONTACT_ADDRESS": os.environ.get("CONTACT_ADDRESS", "Integrationsenheten, Stadshuset, Storgatan 1, "
                                          f"123 45 {os.environ.get('CITY_NAME', 'Exempelstad')}"),
        # Where anyone using the site can get its source code (AGPL section 13): the footer links here.
        "SOURCE_URL": os.environ.get("SOURCE_URL", "https://github.com/migrant-forum/forum-app"),
        # Nightly backups from the scheduler: the folder (empty = off) and how many to keep.
        "BACKUP_DIR": os.environ.get("BACKUP_DIR", ""),
        "BACKUP_KEEP": _int("BACKUP_KEEP", 14),
        # Slowing repeated failed logins: this many failures within the window give 429.
        "LOGIN_MAX_FAILURES": _int("LOGIN_MAX_FAILURES", 5),
        "LOGIN_FAILURE_WINDOW_MINUTES": _int("LOGIN_FAILURE_WINDOW_MINUTES", 15),
        # Past four times LOGIN_MAX_FAILURES from one client (or for one account from anywhere), each try
        # waits this long: guessing slows down, but a colleague with the right password still gets in.
        "LOGIN_SLOWDOWN_SECONDS": float(os.environ.get("LOGIN_SLOWDOWN_SECONDS", "2")),
        # How new passwords are hashed (Werkzeug's method). scrypt is memory-hard, so a stolen table is slow
        # to guess from; it is also most of a login's CPU, so the tests set a cheap method. Deliberately not
        # read from the environment: a deployment keeps scrypt.
        "PASSWORD_HASH_METHOD": "scrypt",
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
    if settings["SESSION_COOKIE_SECURE"]:
        # The site runs behind TLS (the default in production): every link that leaves it is https -- the
        # newsletter's one-click unsubscribe above all, which mailbox providers want on https -- even when
        # BASE_URL was written with http://.
        settings["PREFERRED_URL_SCHEME"] = "https"
        if settings["BASE_URL"].startswith("http://"):
            settings["BASE_URL"] = "https://" + settings["BASE_URL"][len("http://"):]
    return settings
