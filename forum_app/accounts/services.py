"""Rules for logging in: checking passwords and slowing repeated failures."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from .. import throttle
from ..extensions import db
from ..models_base import utcnow
from ..addresses import normalize_email
from .models import Role, User

# Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(Exception):
    """A rule about accounts refused something; ``message`` is translatable text for the person."""

    def __init__(self, message):  # noqa: ANN001 - a lazy string
        super().__init__(str(message))
        self.message = message


class TooManyAttempts(AccountError):
    def __init__(self) -> None:
        super().__init__(_l("Too many failed attempts. Please wait a few minutes and try again."))


def _login_limits(email: str, ip: str | None) -> list[tuple[str, int]]:
    """The failures that slow a login. The account is slowed per client, never for everyone: a
    stranger who knows a staff address cannot lock that person out from elsewhere. A client may
    try several accounts (a shared office), but not endlessly."""
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    return [(f"login:account:{normalize_email(email)}:{ip or '-'}", limit), (f"login:client:{ip or '-'}", limit * 4)]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])


def check_throttle(email: str, ip: str | None) -> None:
    """Raise TooManyAttempts while this account from this client, or this client, failed too often."""
    if throttle.over(_login_limits(email, ip), _window()):
        raise TooManyAttempts()


def authenticate(email: str, password: str, ip: str | None) -> User | None:
    """The user if email and password match an active account; records the failure otherwise."""
    check_throttle(email, ip)
    user = User.by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        ok = False
    else:
        ok = user.check_password(password) and user.is_active
    limits = _login_limits(email, ip)
    if not ok:
        throttle.hit([key for key, _limit in limits], _window())
        db.session.commit()
        return None
    throttle.clear(limits[0][0])
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def create_user(email: str, role: Role | str, password: str, name: str = "", language: str = "sv") -> User:
    """Create a user, or raise AccountError if the email is taken or the password too short."""
    email = User.normalize_email(email)
    if User.by_email(email) is not None:
        raise AccountError(_l("A user with this email address already exists."))
    validate_password(password)
    user = User(email=email, role=Role(role), name=name, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


MIN_PASSWORD_LENGTH = 10


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH))


# --- links to set a password (new accounts, forgotten passwords) ----------------------------

PASSWORD_LINK_DAYS = 3


def password_link_token(user: User) -> str:
    """Signed with the current password hash, so the link stops working once it has been used."""
    from .. import signed_links

    return signed_links.make("set-password", [user.id, user.password_hash[-16:]])


def user_for_password_token(token: str) -> User | None:
    from .. import signed_links
    from ..extensions import db

    value = signed_links.read("set-password", token, max_age_days=PASSWORD_LINK_DAYS, kind=list)
    if not value or len(value) != 2:
        return None
    user = db.session.get(User, value[0])
    if user is None or not user.active or user.password_hash[-16:] != value[1]:
        return None
    return user


def set_password(user: User, password: str) -> None:
    validate_password(password)
    user.set_password(password)
    db.session.commit()


def send_password_link(user: User) -> None:
    """Put the link into the outbox and save it (with any change to ``user`` in this transaction)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from .. import mail
    from ..links import external_url

    lang = user.language
    with force_locale(lang):
        subject = _("Choose your password")
        paragraphs = [_("Hello %(name)s,", name=user.name or user.email),
                      _("With the link below you choose a password for the migrant forum's staff pages. "
                        "The link works once and for three days. If you did not ask for it, ignore this email.")]
        link = (external_url("accounts.set_password", lang=lang, token=password_link_token(user)),
                _("Choose your password"))
    mail.send(mail.build_message(to=user.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link}))
    db.session.commit()


def invite_user(email: str, role: Role | str, *, name: str = "", language: str = "sv",
                department_id: int | None = None) -> User:
    """A new account without a password; the person chooses one through the emailed link."""
    email = User.normalize_email(email)
    if User.by_email(email) is not None:
        raise AccountError(_l("A user with this email address already exists."))
    user = User(email=email, role=Role(role), name=name, language=language, department_id=department_id)
    user.set_password(secrets.token_urlsafe(32))  # unknown to anyone: the link sets the real one
    db.session.add(user)
    db.session.flush()
    send_password_link(user)  # saves the user and the email together
    return user
