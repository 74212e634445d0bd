"""Reads of registrations that pages, panels and other domains (the impact figures) share."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from ..core.addresses import normalize_email, normalize_phone
from ..core.extensions import db
from ..core.tokens import hash_token
from ..mail import sms
from ..planning.models import Forum, ForumStatus
from .models import MessagesBy, Registration, RegistrationStatus


def person_key(email: str | None, phone: str | None) -> str | None:
    """The keyed hash that recognises a participant at a later forum: HMAC-SHA256 with the app's secret
    key over the normalised email address, or the phone number when there is no address. Without the
    key it cannot be turned back into the address, and no profile is kept beside it."""
    email, phone = normalize_email(email), normalize_phone(phone)
    value = f"email:{email}" if email else f"phone:{phone}" if phone else ""
    if not value:
        return None
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ComingBack:
    """Of a forum's participants who left an address or number, how many came to an earlier forum."""

    participants: int  # confirmed registrations with an email address or phone number
    returning: int


def _came_earlier(now, this_forum):  # noqa: ANN001, ANN202 - aliases of Registration and Forum; an EXISTS
    """The registration ``now`` (at ``this_forum``) belongs to someone who took part in an earlier forum: a
    registration with the same key was checked in there, or confirmed for a forum that was held (not every
    forum checks people in)."""
    earlier, earlier_forum = aliased(Registration), aliased(Forum)
    return select(earlier.id).join(earlier_forum, earlier_forum.id == earlier.forum_id).where(
        earlier.person_key == now.person_key, earlier.forum_id != now.forum_id,
        earlier_forum.starts_at < this_forum.starts_at,
        or_(earlier.attended_at.is_not(None),
            and_(earlier.status == RegistrationStatus.CONFIRMED,
                 earlier_forum.status.in_((ForumStatus.HELD, ForumStatus.DOCUMENTED))))).exists()


def returning_participants(forum_ids: Iterable[int]) -> dict[int, ComingBack]:
    """{forum id: ComingBack}: of each forum's participants with a key, how many came to an earlier forum."""
    forum_ids = list(forum_ids)
    if not forum_ids:
        return {}
    now, this_forum = aliased(Registration), aliased(Forum)
    rows = db.session.execute(
        select(now.forum_id, func.count(func.distinct(now.person_key)),
               func.count(func.distinct(now.person_key)).filter(_came_earlier(now, this_forum)))
        .join(this_forum, this_forum.id == now.forum_id)
        .where(now.forum_id.in_(forum_ids), now.status == RegistrationStatus.CONFIRMED,
               now.person_key.is_not(None))
        .group_by(now.forum_id)).all()
    counted = {forum_id: ComingBack(participants, returning) for forum_id, participants, returning in rows}
    return {forum_id: counted.get(forum_id, ComingBack(0, 0)) for forum_id in forum_ids}


def returning_people(forum_ids: Iterable[int]) -> int:
    """How many different people who took part in one of ``forum_ids`` (a year's forums) had taken part in
    an earlier forum too, each counted once however many of the forums they came back to. One query."""
    forum_ids = list(forum_ids)
    if not forum_ids:
        return 0
    now, this_forum = aliased(Registration), aliased(Forum)
    return db.session.scalar(
        select(func.count(func.distinct(now.person_key))).join(this_forum, this_forum.id == now.forum_id)
        .where(now.forum_id.in_(forum_ids), now.status == RegistrationStatus.CONFIRMED,
               now.person_key.is_not(None), _came_earlier(now, this_forum))) or 0


def returning_in(forum: Forum) -> ComingBack:
    return returning_participants([forum.id])[forum.id]


def forums_registered_for(emails: list[str]) -> dict[str, list[Forum]]:
    """The forums each address came to (oldest registration first), in one query: the core team's
    volunteer list shows them. A forum counts once it has been held, and only if the registration was not
    cancelled: a coming forum or a cancelled place is not a forum someone came to."""
    emails = [e for e in emails if e]
    result: dict[str, list[Forum]] = {e: [] for e in emails}
    if emails:
        for registration in db.session.scalars(
                select(Registration).join(Forum, Registration.forum_id == Forum.id)
                .where(Registration.email.in_(emails), Registration.status != RegistrationStatus.CANCELLED,
                       Forum.status.in_((ForumStatus.HELD, ForumStatus.DOCUMENTED)))
                .order_by(Registration.id)):
            result[registration.email].append(registration.forum)
    return result


def by_manage_token(token: str) -> Registration | None:
    """The registration whose private manage link carries ``token`` (kept only as its hash)."""
    return db.session.scalar(select(Registration).where(Registration.token_hash == hash_token(token)))


def registration(registration_id: int) -> Registration | None:
    return db.session.get(Registration, registration_id)


def registrations_of(address) -> list[Registration]:  # noqa: ANN001 - privacy.registry.Address
    """Every registration made with the address's email (or, without one, its phone), oldest first."""
    column, value = (Registration.email, address.email) if address.email else (Registration.phone, address.phone)
    return list(db.session.scalars(select(Registration).where(column == value).order_by(Registration.id)))


def contacts(registration: Registration) -> list[tuple[str, str]]:
    """Where messages reach this person: [("email", their address)] and/or [("sms", their mobile number in
    E.164)], as they chose on the form when they gave both (``messages_by``), else the one they gave; [] when
    they gave neither (a walk-in) or only a number no SMS reaches (a landline). Every domain that writes to a
    participant asks this, so each hears once on each of their channels."""
    phone = sms.phone_for_sms(registration.phone, current_app.config["SMS_COUNTRY_CODE"])
    by_email = [("email", registration.email)] if registration.email else []
    by_sms = [("sms", phone)] if phone else []
    if by_email and by_sms:
        return {MessagesBy.SMS: by_sms, MessagesBy.BOTH: by_email + by_sms}.get(registration.messages_by, by_email)
    return by_email or by_sms
