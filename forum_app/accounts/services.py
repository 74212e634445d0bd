"""Rules of accounts: logging in and out, slowing repeated failures, inviting people, password links."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import audit, events, throttle, tokens
from ..core.addresses import normalize_email
from ..core.database import atomic
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..mail import compose, outbox
from ..web.links import external_url
from .models import PasswordLink, Role, User


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """Compared against when the email is unknown, so a wrong email takes as long as a wrong password:
    hashed with the method real passwords are."""
    return generate_password_hash("not a real password", method=method)


class AccountError(DomainError):
    """A rule about accounts refused something; ``message`` is translatable text for the person."""


class AccessEnded(AccountError):
    """The password is right, but the account may no longer log in; the message says why."""


class TooManyAttempts(AccountError):
    def __init__(self) -> None:
        super().__init__(_l("Too many failed attempts. Please wait a few minutes and try again."))


def _login_limits(email: str, ip: str | None) -> list[tuple[str, int]]:
    """The failures that stop a login for a while: this account from this client. A stranger who knows a
    staff address cannot lock that person out from elsewhere."""
    return [(f"login:account:{normalize_email(email)}:{ip or '-'}", current_app.config["LOGIN_MAX_FAILURES"])]


def _slowing_limits(email: str, ip: str | None) -> list[tuple[str, int]]:
    """The failures that slow a login, never stop it: from this client, whatever the accounts (one office
    shares an address, so made-up addresses tried there must not keep a colleague with the right password
    out), and of this account, from anywhere (guessing spread over many clients)."""
    limit = current_app.config["LOGIN_MAX_FAILURES"] * 4
    return [(f"login:client:{ip or '-'}", limit), (f"login:any-client:{normalize_email(email)}", limit)]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])


def check_throttle(email: str, ip: str | None) -> None:
    """Raise TooManyAttempts while this account from this client failed too often."""
    if throttle.over(_login_limits(email, ip), _window()):
        raise TooManyAttempts()


def _access_ended_why(user: User):  # noqa: ANN202 - a lazy string
    reasons = [answer for _receiver, answer in events.access_ended_why.send(user) if answer]
    return reasons[0] if reasons else _l("Your account is no longer active. Ask the integration office if you "
                                         "need access.")


def authenticate(email: str, password: str, ip: str | None) -> User | None:
    """The user if email and password match an active account; records the failure otherwise."""
    check_throttle(email, ip)
    if throttle.over(_slowing_limits(email, ip), _window()):
        time.sleep(current_app.config["LOGIN_SLOWDOWN_SECONDS"])  # each try costs the guesser time
    user = User.by_email(email)
    password_ok = False
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
    else:
        password_ok = user.check_password(password)
    ok = password_ok and user.is_active
    limits = _login_limits(email, ip)
    if not ok:
        with atomic():  # the failure is counted and kept, also when the answer below is an error
            throttle.hit([key for key, _limit in limits + _slowing_limits(email, ip)], _window())
            ended = password_ok and not user.is_active
            if user is not None:
                audit.record("login_failed", user, user.email, user_id=user.id)
        if ended:  # only who knows the password learns that the account has ended, and why
            raise AccessEnded(_access_ended_why(user))
        return None
    with atomic():
        throttle.clear(limits[0][0])
        end_password_links(user)  # whoever logs in has their password: a link lying in a mailbox is not needed
        user.last_login_at = utcnow()
        audit.record("logged_in", user, user.email, user_id=user.id)
    return user


@atomic()
def create_user(email: str, role: Role | str, password: str, name: str = "", language: str = "sv") -> User:
    """Create a user, or raise AccountError if the email is taken or the password too short."""
    email = User.normalize_email(email)
    if User.by_email(email) is not None:
        raise AccountError(_l("A user with this email address already exists."))
    validate_password(password)
    user = User(email=email, role=Role(role), name=name, language=language)
    user.set_password(password)
    db.session.add(user)
    return user


MIN_PASSWORD_LENGTH = 10


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_l("The password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH))


# --- links to choose a password: staff invitations, forgotten passwords, core-team invitations ---

PASSWORD_LINK_DAYS = 3


def end_password_links(user: User) -> None:
    """End every password link of ``user`` still open (in this transaction): a person has at most one,
    and a new link, a new password or a login ends the others."""
    db.session.execute(update(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
                       .values(used_at=utcnow()))


def password_link(user: User, days: int = PASSWORD_LINK_DAYS) -> str:
    """A new single-use link for ``user`` to choose a password, saved in this transaction; it replaces
    any link sent before."""
    end_password_links(user)
    token, token_hash = tokens.new_token()
    db.session.add(PasswordLink(user_id=user.id, token_hash=token_hash, expires_at=utcnow() + timedelta(days=days)))
    return external_url("accounts.set_password", lang=user.language, token=token)


def usable_password_link(token: str) -> PasswordLink | None:
    if not tokens.plausible(token):
        return None
    link = db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == tokens.hash_token(token)))
    if link is None or link.used_at is not None or link.expires_at < utcnow() or not link.user.is_active:
        return None
    return link


def user_for_password_token(token: str) -> User | None:
    link = usable_password_link(token)
    return link.user if link else None


@atomic()
def set_password(token: str, password: str) -> User:
    """Use the link: the password is set, the link and every other session of the person end."""
    link = usable_password_link(token)
    if link is None:
        raise AccountError(_l("This link has expired or has already been used."))
    validate_password(password)
    user = link.user
    user.set_password(password)
    user.end_sessions()
    end_password_links(user)  # this one and any other still open
    audit.record("password_set", user, user.email, user_id=user.id)
    return user


def request_password_reset(email: str) -> None:
    """"Forgot your password?": a link goes to an active account's address, at most
    ``EMAILS_PER_ADDRESS_PER_DAY`` a day (the form is also limited per client and address by the caller,
    ``throttle.check("password-reset")``). Whoever asked learns nothing either way."""
    user = User.by_email(email)
    if user is not None and user.is_active and throttle.email_allowed("password-reset", user.email):
        send_password_link(user)
    else:
        # The same work as for an account, thrown away, so that the answer's timing tells no more than
        # its words which addresses have one (a link made and sealed, as a real one is; the form's own
        # count, throttle.check, is already saved).
        with atomic():
            tokens.seal(external_url("accounts.set_password", lang="sv", token=tokens.new_token()[0]))


PASSWORD_LINK = "accounts.password_link"


@atomic()
def send_password_link(user: User) -> None:
    """Put the link into the outbox and save it (with any change to ``user`` in this transaction). The link
    waits sealed in the queue: a copy of the database holds no working link."""
    with force_locale(user.language):
        subject = _("Choose your password")
    outbox.queue(user.email, subject, PASSWORD_LINK, user=user.id, sealed=tokens.seal(password_link(user)))
    audit.record("password_link_sent", user, user.email)


@outbox.writer(PASSWORD_LINK)
def write_password_link(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """Nothing for an account closed meanwhile, or a link that a newer one has replaced."""
    user = db.session.get(User, recipe["user"])
    url = tokens.unseal(recipe["sealed"])
    if user is None or not user.is_active or url is None:
        return None
    if usable_password_link(url.rsplit("/", 1)[-1]) is None:
        return None
    return _password_message(user, url)


def _password_message(user: User, url: str):  # noqa: ANN202 - an email.message.Message
    lang = user.language
    with force_locale(lang):
        subject = _("Choose your password")
        paragraphs = [_("Hello %(name)s,", name=user.name or user.email),
                      _("With the link below you choose a password for the migrant forum's staff pages. "
                        "The link works once and for three days. If you did not ask for it, ignore this email.")]
        link = (url, _("Choose your password"))
    return compose.build_message(to=user.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link})


def account_for(email: str, role: Role | str, *, name: str = "", language: str = "sv",
                department_id: int | None = None) -> User:
    """The account of ``email`` in ``role``, created without a usable password if there is none yet
    (the person chooses one through a password link). Added to this transaction."""
    email = normalize_email(email)
    user = User.by_email(email)
    if user is not None:
        if user.role is not Role(role):
            raise AccountError(_l("This email address already has another kind of account. "
                                  "Ask the integration office."))
        return user
    user = User(email=email, role=Role(role), name=name, language=language, department_id=department_id)
    user.set_password(secrets.token_urlsafe(32))  # unknown to anyone: the link sets the real one
    db.session.add(user)
    db.session.flush()
    audit.record("created", user, email)
    return user


def invite_user(email: str, role: Role | str, *, name: str = "", language: str = "sv",
                department_id: int | None = None) -> User:
    """A new account without a password; the person chooses one through the emailed link."""
    if User.by_email(email) is not None:
        raise AccountError(_l("A user with this email address already exists."))
    user = account_for(email, role, name=name, language=language, department_id=department_id)
    send_password_link(user)  # saves the user and the email together
    return user


@atomic()
def log_out(user: User) -> None:
    """Logging out ends every session of the person, also a copy of the cookie made earlier."""
    user.end_sessions()
    audit.record("logged_out", user, user.email, user_id=user.id)


USER_FIELDS = ("name", "role", "language", "department_id", "active")


@atomic()
def update_user(user: User, **fields) -> User:  # noqa: ANN003
    """Change a person's name, role, language, department or whether the account is active.
    A change of role or a deactivation ends the person's other sessions (see ``session_version``)."""
    before = audit.snapshot(user, USER_FIELDS)
    for name in USER_FIELDS:
        if name in fields:
            setattr(user, name, Role(fields[name]) if name == "role" else fields[name])
    after = audit.snapshot(user, USER_FIELDS)
    if before["role"] != after["role"] or not user.active:
        user.end_sessions()
    audit.record("updated", user, user.email, changes=audit.changes(before, after))
    return user


# --- access and erasure by address (see personal_data.py) -------------------------------------

def _user_of(address) -> User | None:  # noqa: ANN001 - personal_data.Address
    return User.by_email(address.email) if address.email else None


def export_by_address(address) -> dict | None:  # noqa: ANN001 - personal_data.Address
    user = _user_of(address)
    if user is None:
        return None
    return {"id": user.id, **audit.snapshot(user, ("email", "name", "role", "language", "active", "created_at",
                                                   "last_login_at", "department_id"))}


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    """A staff or core-team account cannot simply go: the audit log says who did what. It is closed,
    every session ended and its password links removed, and it keeps no name and no real address."""
    user = _user_of(address)
    if user is None:
        return {}
    user.email, user.name, user.password_hash, user.active = f"erased-{user.id}@invalid", "", "", False
    user.end_sessions()
    for link in db.session.scalars(select(PasswordLink).where(PasswordLink.user_id == user.id)):
        db.session.delete(link)
    return {"accounts": 1}
