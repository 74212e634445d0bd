"""Rules of registration: places, the waiting list, duplicates, the private manage link.

Counting and inserting happen in one transaction under the forum's write lock (``database.rule``, a
``with`` block that begins, locks, and commits or rolls back), so capacity holds under concurrent
submissions on both databases. No function here commits or rolls back by hand.
"""

from __future__ import annotations

import enum
import hmac
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import Select, and_, func, literal, null, or_, select
from sqlalchemy.orm import lazyload

from ..core import audit, events, signed_links, throttle
from ..core.addresses import normalize_email, normalize_phone
from ..core.database import Busy, also_lock, atomic, rule
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.tokens import new_token, plausible, seal, unseal
from ..i18n.collation import collated
from ..planning.models import Forum
from ..privacy import registry as personal_data
from . import door
from .counts import confirmed_places, count_places, holding_a_place
from .models import Registration, RegistrationStatus, cleared_personal_fields
from .notifications import (
    NEW_LINK_DAYS,
    new_link_key,
    same_mobile,
    send_cancelled_by_you,
    send_confirmation,
    send_confirmed_after_change,
    send_new_link_offer,
    send_promotion,
)
from .queries import by_manage_token, person_key, registrations_of


class RegistrationError(DomainError):
    """A rule of this domain refused; see ``errors.DomainError``."""


class RegistrationClosed(RegistrationError):
    def __init__(self) -> None:
        super().__init__(_l("Registration for this forum is closed."))


class ForumOver(RegistrationError):
    def __init__(self) -> None:
        super().__init__(_l("This forum is over, so the registration can no longer be changed. You can still "
                            "delete your information."))


def can_still_change(registration: Registration) -> bool:
    """A registration can be changed or cancelled until its forum has ended (or was cancelled);
    afterwards its page is read-only, but the person can always delete their information."""
    forum = registration.forum
    return forum.ends_at > utcnow() and forum.status.value in ("draft", "published")


class ContactNeeded(RegistrationError):
    def __init__(self) -> None:
        super().__init__(_l("Write an email address or a phone number, so that we can reach you if "
                            "something changes."))


def by_token(token: str) -> Registration | None:
    return by_manage_token(token) if plausible(token) else None


def max_children() -> int:
    """Children one registration may bring to the childcare (``MAX_CHILDREN_PER_REGISTRATION``), so that one
    registration cannot take every childcare place."""
    return current_app.config["MAX_CHILDREN_PER_REGISTRATION"]


class TooManyChildren(RegistrationError):
    def __init__(self) -> None:
        super().__init__(lazy_ngettext(
            "One registration can bring at most %(num)d child to the childcare. For more, please contact the "
            "integration office.", "One registration can bring at most %(num)d children to the childcare. For more, "
            "please contact the integration office.", max_children()))


def _check_children(children_ages) -> None:  # noqa: ANN001 - a list of ages
    if len(children_ages or []) > max_children():
        raise TooManyChildren()


class TryAgain(RegistrationError):
    def __init__(self) -> None:
        super().__init__(_l("Many people are registering right now. Nothing was saved yet: please send the "
                            "form again in a moment."))


@contextmanager
def _forum_rule(forum_id: int) -> Iterator[Forum]:
    """``with _forum_rule(forum_id) as forum:`` the forum's places are counted and changed in one transaction
    under its lock (``database.rule``), the forum read afresh under it; the block's end commits."""
    with _holding_forum(forum_id):
        yield _read_forum(forum_id)


@contextmanager
def _registration_rule(registration_id: int) -> Iterator[tuple[Forum, Registration | None]]:
    """``_forum_rule`` for the forum of a registration, with the registration read afresh under the lock."""
    forum_id = db.session.scalar(select(Registration.forum_id).where(Registration.id == registration_id))
    with _forum_rule(forum_id) as forum:
        yield forum, db.session.get(Registration, registration_id, populate_existing=True)


def _holding_forum(forum_id: int):  # noqa: ANN202 - a context manager
    """The forum's rule. Waits a few seconds at most on PostgreSQL, then raises database.Busy (a "try again"
    page)."""
    return rule("forum", forum_id, wait_seconds=current_app.config["LOCK_TIMEOUT_SECONDS"])


def _read_forum(forum_id: int) -> Forum:
    """Under the forum's lock, the forum read afresh. Its topic (and that topic's questions) are not needed here."""
    forum = db.session.execute(_forum_afresh(forum_id)).scalar()
    if forum is None:
        raise RegistrationClosed()
    return forum


def _forum_afresh(forum_id: int, *extra_columns):  # noqa: ANN002, ANN202 - a Select: the forum, then these
    """The statement that reads the forum afresh, with ``extra_columns`` (scalar subqueries) in it."""
    return (select(Forum, *extra_columns).where(Forum.id == forum_id).options(lazyload(Forum.topic))
            .execution_options(populate_existing=True))


@dataclass(frozen=True)
class _ReadUnderLock:
    """What a registration decides on, read in one statement under its forum's lock."""

    forum: Forum
    places: int  # confirmed online places taken
    waiting: int  # people on the waiting list
    existing_id: int | None  # this address's registration for the forum, if it has one
    emails_today: int  # registration emails to this address today (``throttle.email_allowed``)
    code_taken: bool  # the door code drawn for the new registration is already someone's at this forum


def _code_taken(forum_id: int, code: str):  # noqa: ANN202 - a scalar subquery
    return select(func.count()).select_from(Registration).where(
        Registration.forum_id == forum_id, Registration.door_code == code).scalar_subquery()


@dataclass(frozen=True)
class _ToRead:
    """The one statement a registration reads under its forum's lock: the forum and everything the
    registration decides on (and on PostgreSQL the record of its email, if allowed). It is built before the
    lock is taken and read under it in one round trip, because every other registration for the forum waits
    while the lock is held, so each statement and each millisecond under it adds to everyone's wait."""

    statement: Select
    email_recorded: bool  # the statement records the email if it is allowed (``throttle.EmailCount``)

    @classmethod
    def for_registration(cls, forum_id: int, email: str, code: str) -> _ToRead:
        # Phone-only registrations have no address: none of them is "the same address".
        existing = (select(Registration.id).where(
            Registration.forum_id == forum_id, Registration.status != RegistrationStatus.CANCELLED,
            Registration.email == email).limit(1).scalar_subquery() if email else null())
        emails = throttle.email_count("registration", email) if email else None
        statement = _forum_afresh(forum_id, confirmed_places(forum_id), _waiting(forum_id).scalar_subquery(),
                                  existing, emails.today if emails else literal(0), _code_taken(forum_id, code))
        return cls(emails.read_by(statement), emails.recorded) if emails else cls(statement, False)

    def read(self) -> _ReadUnderLock:
        row = db.session.execute(self.statement).first()
        if row is None:
            raise RegistrationClosed()
        return _ReadUnderLock(*row)


def _places_taken(forum: Forum, places: int | None = None) -> tuple[int, int]:
    """Confirmed online places and childcare places taken (walk-ins do not use online places).

    Places are counted as every forum page counts them (``counts.count_places``); the children's ages
    are read only for a forum whose childcare places are limited, because reading every registration's
    ages costs more with each registration the forum has."""
    if places is None:
        places = count_places([forum]).get(forum.id, (0, 0))[0]
    if forum.childcare_capacity is None:
        return places, 0
    ages = db.session.scalars(select(Registration.children_ages).where(*holding_a_place(forum.id))).all()
    return places, sum(len(children or []) for children in ages)


def _fits(forum: Forum, registration: Registration, places: int, children: int) -> bool:
    if places >= forum.capacity:
        return False
    if forum.childcare_capacity is not None and registration.children_count:
        return children + registration.children_count <= forum.childcare_capacity
    return True


def _only_childcare_is_full(forum: Forum, children_count: int, places: int, children: int) -> bool:
    """A place at the forum is free, but not enough childcare places for these children: childcare full is
    not forum full, and the person chooses to come without childcare or to wait for a childcare place."""
    return (places < forum.capacity and forum.childcare_capacity is not None and children_count > 0
            and children + children_count > forum.childcare_capacity)


def held_by_childcare(registration: Registration) -> bool:
    """A waiting registration that only the childcare keeps off the forum (its manage page offers to come
    without childcare)."""
    if registration.status is not RegistrationStatus.WAITING or not registration.children_count:
        return False
    forum = registration.forum
    return _only_childcare_is_full(forum, registration.children_count, *_places_taken(forum))


class Outlook(str, enum.Enum):
    """What sending a registration would give, as the check-your-answers page says before it is sent:
    a place, a place without the childcare (the person then chooses), or the waiting list. Better first."""

    PLACE = "place"
    CHILDCARE_FULL = "childcare_full"
    WAITING = "waiting"

    def worse_than(self, other: Outlook) -> bool:
        order = list(Outlook)
        return order.index(self) > order.index(other)


def _outlook(forum: Forum, children_count: int, places: int, children: int) -> Outlook:
    """As ``register`` decides it: the status (``_fits``) and whether only the childcare is full."""
    if places >= forum.capacity:
        return Outlook.WAITING
    if _only_childcare_is_full(forum, children_count, places, children):
        return Outlook.CHILDCARE_FULL
    return Outlook.PLACE


def outlook(forum: Forum, children_count: int) -> Outlook:
    """What sending would give now (read without the lock: the registration decides again under it)."""
    return _outlook(forum, children_count, *_places_taken(forum))


class OutlookChanged(RegistrationError):
    """Places went while the person checked their answers: the page said one thing, sending would give a
    worse one. Nothing is saved; the check page is shown again with what sending gives now."""

    def __init__(self, now: Outlook) -> None:
        super().__init__(_l("The forum filled up while you were checking your answers. Nothing is saved yet: "
                            "you can still join the waiting list.") if now is Outlook.WAITING else
                         _l("The childcare filled up while you were checking your answers. Nothing is saved "
                            "yet: you can still send your registration and then choose what to do."))


@dataclass
class Registered:
    """What a registration form answers. A registration with an email address is answered with one page,
    the same whether the address was new, already registered or put on the waiting list: the outcome
    and the private link go to the address only, so the page tells a stranger nothing about who is
    coming. Only a registration with no email address (a phone number alone) shows its outcome and its
    link; ``texted`` says the link is on its way by SMS as well (the page must not say it never will be)."""

    registration: Registration | None
    token: str | None
    waiting_position: int | None
    email: str
    forum: Forum  # as read under its lock
    # A place is free but the childcare is full for the children on the form: the answer page offers the
    # choice (``choose_childcare``) with ``choice``, a sealed token. With an email address the page offers it
    # the same way whether the address was new or already registered: ``choice`` then leads nowhere.
    childcare_full: bool = False
    choice: str | None = field(default=None, repr=False)
    texted: bool = False

    @property
    def shows_link(self) -> bool:
        return self.token is not None and not self.email


CHOICE_HOURS = 24  # the answer page's choice stays good this long; the manage page offers it after that


def _choice_token(registration: Registration | None, token: str | None) -> str:
    """Sealed (encrypted, not only signed): its content must not tell a stranger whether the address was
    already registered. It names the registration and the link it has now, and carries the private link only
    for a registration whose answer page shows that link anyway (no email address)."""
    until = (utcnow() + timedelta(hours=CHOICE_HOURS)).isoformat()
    if registration is None:
        content = {"r": 0, "k": secrets.token_hex(8), "t": "", "u": until}
    else:
        content = {"r": registration.id, "k": new_link_key(registration), "t": "" if registration.email else token,
                   "u": until}
    content["r"] = f"{content['r']:012d}"  # the same length for every registration, and for none
    return seal(json.dumps(content))


def _chosen(choice: str) -> tuple[Registration | None, str | None]:
    """The registration an answer page's choice is for (None when it is for none, or no longer good) and the
    private link the page showed, if it showed one."""
    opened = unseal(choice or "") if choice and len(choice) < 1000 else None
    try:
        content = json.loads(opened) if opened else None
        number, key, token, until = int(content["r"]), str(content["k"]), content["t"], content["u"]
    except (ValueError, KeyError, TypeError):
        return None, None
    if not number or until < utcnow().isoformat():
        return None, None
    registration = db.session.get(Registration, number)
    if (registration is None or registration.status is RegistrationStatus.CANCELLED or not registration.token_hash
            or not hmac.compare_digest(new_link_key(registration), key)):
        return None, None
    return registration, token or None


def register(forum_id: int, fields: dict, promised: Outlook | None = None) -> Registered:
    """Save a registration under its forum's lock. ``promised`` is what the check-your-answers page said
    sending would give: if places went meanwhile and it would now give less, nothing is saved
    (``OutlookChanged``). Without it (a form sent straight here) the outcome is whatever is free."""
    email, phone = normalize_email(fields.get("email", "")), normalize_phone(fields.get("phone", ""))
    _check_children(fields.get("children_ages"))
    token, token_hash = new_token()
    registration = Registration(forum_id=forum_id, token_hash=token_hash, consent_at=utcnow(),
                                door_code=door.new_code(set()), person_key=person_key(email, phone),
                                **{**fields, "email": email, "phone": phone})
    to_read = _ToRead.for_registration(forum_id, email, registration.door_code)
    try:
        with _holding_forum(forum_id):
            return _register_under_lock(forum_id, to_read, registration, token, email, phone, fields, promised)
    except Busy as error:
        raise TryAgain() from error  # the form is shown again with what was typed


def _register_under_lock(forum_id: int, to_read: _ToRead, registration: Registration, token: str, email: str,
                         phone: str, fields: dict, promised: Outlook | None) -> Registered:
    locked = to_read.read()
    forum = locked.forum
    if not forum.registration_is_open(utcnow()):
        raise RegistrationClosed()
    if not (email or phone) and not fields.get("walk_in"):
        raise ContactNeeded()
    # Decided before whether the address is registered (and from the public counts only): the refusal
    # tells a stranger nothing about who is coming.
    places, children = _places_taken(forum, locked.places)
    outcome = _outlook(forum, registration.children_count, places, children)
    if promised is not None and outcome.worse_than(promised):
        raise OutlookChanged(outcome)
    childcare_full = outcome is Outlook.CHILDCARE_FULL
    if locked.existing_id is not None:
        # The owner of the address hears it, with a button for a new link should they have lost theirs;
        # the link they have keeps working (a stranger's probe takes nothing from them). The person at
        # the form is told what anyone with an address is told: an email is on its way.
        if throttle.email_allowed("registration", email, counted=locked.emails_today, recorded=to_read.email_recorded):
            send_new_link_offer(db.session.get(Registration, locked.existing_id))
        # The page offers the childcare choice exactly when a new registration's page would.
        return Registered(None, None, None, email, forum, childcare_full,
                          _choice_token(None, None) if childcare_full else None)
    registration.status = RegistrationStatus.CONFIRMED if outcome is Outlook.PLACE else RegistrationStatus.WAITING
    if locked.code_taken:  # one in millions: draw again among the codes the forum has
        registration.door_code = door.new_code(set(db.session.scalars(select(Registration.door_code).where(
            Registration.forum_id == forum_id, Registration.door_code.is_not(None)))))
    # Counted before the registration is saved, so that its count and the registration are one flush (on
    # PostgreSQL the read under the lock has already recorded it).
    mailed = bool(email) and throttle.email_allowed("registration", email, counted=locked.emails_today,
                                                    recorded=to_read.email_recorded)
    texted = not email and bool(phone) and throttle.email_allowed("registration", phone)
    db.session.add(registration)
    db.session.flush()
    # The core team and the newsletter listen; what they add is saved with the registration or not at all.
    events.registered.send(registration, volunteer=registration.wants_coreteam,
                           subscribe=bool(registration.newsletter and email))
    # Everyone on the list came before (under the lock nobody else joins it): as ``waiting_position`` counts.
    position = locked.waiting + 1 if registration.status is RegistrationStatus.WAITING else None
    # Written after the answer, by the sender (outbox.recipes). By SMS too: the link on the screen is not the
    # only copy.
    if mailed or texted:
        send_confirmation(registration, token, childcare_full=childcare_full)
    return Registered(registration, token, position, email, forum, childcare_full,
                      _choice_token(registration, token) if childcare_full else None, texted)


def _waiting(forum_id: int):  # noqa: ANN202 - a Select
    return select(func.count()).select_from(Registration).where(
        Registration.forum_id == forum_id, Registration.status == RegistrationStatus.WAITING)


# The waiting list's order: whom staff moved up first (the latest move on top), then everyone as they came.
WAITING_ORDER = (Registration.moved_up.desc(), Registration.id)


def waiting_position(registration: Registration) -> int | None:
    if registration.status is not RegistrationStatus.WAITING:
        return None
    return db.session.scalar(_waiting(registration.forum_id).where(or_(
        Registration.moved_up > registration.moved_up,
        and_(Registration.moved_up == registration.moved_up, Registration.id <= registration.id))))


def waiting_list(forum_id: int) -> list[Registration]:
    """A forum's waiting list in the order places go to it."""
    return list(db.session.scalars(select(Registration).where(
        Registration.forum_id == forum_id, Registration.status == RegistrationStatus.WAITING).order_by(*WAITING_ORDER)))


def _promote(forum: Forum) -> list[Registration]:
    """Move people from the waiting list into places that are free: the list keeps its order, and each free
    place goes to the first person in it who now fits (someone waiting for a childcare place is passed over
    while the childcare is full, and keeps their turn)."""
    places, children = _places_taken(forum)
    promoted = []
    waiting = db.session.scalars(select(Registration).where(
        Registration.forum_id == forum.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(*WAITING_ORDER)).all()
    for registration in waiting:
        if places >= forum.capacity:
            break
        if _fits(forum, registration, places, children):
            registration.status = RegistrationStatus.CONFIRMED
            places += 1
            children += registration.children_count
            promoted.append(registration)
            audit.record("promoted", registration)
    return promoted


def fill_free_places(forum_id: int) -> list[Registration]:
    """After capacity was raised: promote whoever now fits, and tell them."""
    with _forum_rule(forum_id) as forum:
        promoted = _promote(forum)
        _notify_promoted(promoted)
    return promoted


def cancel_batch(forum_id: int, registration_ids: list[int]) -> int:
    """Staff cancel the chosen registrations of one forum at once (say, a flood of fakes), under the
    forum's lock; the freed places go to the waiting list in order. Returns how many were cancelled."""
    with _forum_rule(forum_id) as forum:
        chosen = db.session.scalars(select(Registration).where(
            Registration.forum_id == forum_id, Registration.id.in_(registration_ids[:1000]),
            Registration.status != RegistrationStatus.CANCELLED)).all()
        for registration in chosen:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = utcnow()
            audit.record("cancelled", registration, "cancelled by staff with others")
        db.session.flush()
        _notify_promoted(_promote(forum))
    return len(chosen)


def cancel(registration_id: int) -> list[Registration]:
    """Cancel a registration; the first on the waiting list who fits takes the freed place."""
    with _registration_rule(registration_id) as (forum, registration):
        if not can_still_change(registration):
            raise ForumOver()
        if registration.status is RegistrationStatus.CANCELLED:
            return []
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = utcnow()
        db.session.flush()
        send_cancelled_by_you(registration)
        promoted = _promote(forum)
        _notify_promoted(promoted)
    return promoted


def _notify_promoted(promoted: list[Registration]) -> None:
    for registration in promoted:
        send_promotion(registration)


def offer_new_link(forum_id: int, address: str) -> Registration | None:
    """"Lost your link?": the active registration with this email address or mobile number is sent (on its
    own channel) a way to a new link. Its link is not changed here: whoever typed the address gets nothing,
    and the owner's link keeps working until the owner takes the new one (``take_new_link``)."""
    active = (Registration.forum_id == forum_id, Registration.status != RegistrationStatus.CANCELLED)
    if "@" in address:
        registration = db.session.scalar(select(Registration).where(
            *active, Registration.email == normalize_email(address)))
    else:  # a number as its owner types it today ("+46 70…", "070-…"), not as it was typed at registration
        registration = next((r for r in db.session.scalars(select(Registration).where(
            *active, Registration.phone != "").order_by(Registration.id)) if same_mobile(r.phone, address)), None)
    if registration is None:
        return None
    with atomic():
        if not throttle.email_allowed("new-link", registration.email or registration.phone):
            return None
        send_new_link_offer(registration)
    return registration


def new_link_offered(offer: str) -> Registration | None:
    """The registration an emailed offer of a new link is for, while the offer is good: signed by us, at
    most ``NEW_LINK_DAYS`` old, and for the link the registration has now (an offer is used once)."""
    value = signed_links.read("registration-new-link", offer, max_age_days=NEW_LINK_DAYS, kind=list)
    if not value or len(value) != 2 or not isinstance(value[0], int):
        return None
    registration = db.session.get(Registration, value[0])
    if (registration is None or registration.status is RegistrationStatus.CANCELLED
            or not hmac.compare_digest(new_link_key(registration), str(value[1]))):
        return None
    return registration


def take_new_link(offer: str) -> str | None:
    """The owner pressed the button of an emailed offer: a new private link, which replaces the old one.
    Returns the new link's token, or None when the offer is no longer good."""
    with atomic():
        registration = new_link_offered(offer)
        if registration is None:
            return None
        token, registration.token_hash = new_token()
        audit.record("new_link", registration, "the owner took a new private link")
    return token


def change_needs(registration_id: int, needs: dict) -> Registration:
    """Change what a participant needs. More children than childcare places left is refused for a confirmed
    place. A waiting registration that drops what held it back (the childcare) is confirmed at once if a place
    is free; childcare places given up go to the first on the waiting list who now fits."""
    _check_children(needs.get("children_ages"))
    with _registration_rule(registration_id) as (forum, registration):
        if not can_still_change(registration):
            raise ForumOver()
        new_children = len(needs.get("children_ages") or [])
        if (registration.status is RegistrationStatus.CONFIRMED and forum.childcare_capacity is not None
                and new_children > registration.children_count):
            _places, children = _places_taken(forum)
            if children - registration.children_count + new_children > forum.childcare_capacity:
                raise RegistrationError(_l("There are not enough childcare places left for more children. "
                                           "Please contact the integration office."))
        for key, value in needs.items():
            setattr(registration, key, value)
        db.session.flush()
        _fill_after_change(forum, registration)
    return registration


def _fill_after_change(forum: Forum, registration: Registration) -> None:
    """After ``registration`` changed its needs: whoever now fits takes a free place, in the list's order;
    the person who changed hears that their place is confirmed, the others that a place became free."""
    was_waiting = registration.status is RegistrationStatus.WAITING
    promoted = _promote(forum)
    if was_waiting and registration in promoted:
        promoted.remove(registration)
        send_confirmed_after_change(registration)
    _notify_promoted(promoted)


def come_without_childcare(registration_id: int) -> Registration:
    """The person held back only by the childcare chooses to come without it: their children's ages go, and
    they are confirmed if a place is free (else they wait for a place at the forum, keeping their turn)."""
    with _registration_rule(registration_id) as (forum, registration):
        if not can_still_change(registration) or registration.status is RegistrationStatus.CANCELLED:
            raise ForumOver()
        if registration.children_ages:
            registration.children_ages = []
            audit.record("updated", registration, "comes without childcare: the childcare was full")
            db.session.flush()
            _fill_after_change(forum, registration)
    return registration


@dataclass(frozen=True)
class Chosen:
    """What the answer page's childcare choice did: the registration (None when the page's choice was for no
    registration of the person's) and the private link to show, for a registration without an address."""

    registration: Registration | None
    token: str | None


def choose_childcare(choice: str, without: bool) -> Chosen:
    """The choice on the answer page when childcare was full: ``without`` comes without childcare, otherwise
    the person waits for a childcare place (nothing changes: they are on the list already). A choice for no
    registration (an address already registered) changes nothing and answers as any other would."""
    registration, token = _chosen(choice)
    if registration is None:
        return Chosen(None, None)
    if without:
        registration = come_without_childcare(registration.id)
    return Chosen(registration, token)


class NotWaiting(RegistrationError):
    def __init__(self) -> None:
        super().__init__(_l("This person is no longer on the waiting list."))


class ReasonNeeded(RegistrationError):
    def __init__(self) -> None:
        super().__init__(_l("Write why this person moves up the waiting list: the reason is kept in the history."))


def move_up(registration_id: int, reason: str) -> list[Registration]:
    """Staff move a chosen person to the top of the waiting list, with a reason kept in the audit log. If a
    place is free and they fit, they take it at once (and hear it). Returns who was promoted."""
    reason = (reason or "").strip()[:500]
    if not reason:
        raise ReasonNeeded()
    with _registration_rule(registration_id) as (forum, registration):
        if registration.status is not RegistrationStatus.WAITING:
            raise NotWaiting()
        top = db.session.scalar(select(func.max(Registration.moved_up)).where(
            Registration.forum_id == forum.id, Registration.status == RegistrationStatus.WAITING)) or 0
        before = registration.moved_up
        registration.moved_up = top + 1
        audit.record("moved_up", registration, reason, changes={"moved_up": [before, registration.moved_up]})
        db.session.flush()
        promoted = _promote(forum)
        _notify_promoted(promoted)
    return promoted


def delete_personal_data(registration_id: int) -> None:
    """The person's own "delete my information", from their private link: removed exactly as an erasure
    request by their address removes it (``_remove``), under the forum's lock."""
    with _registration_rule(registration_id) as (_forum, registration):
        if registration is not None:
            _remove([registration])


def check_in(registration_id: int, present: bool = True) -> Registration:
    with atomic():
        registration = db.session.get(Registration, registration_id)
        registration.attended_at = utcnow() if present else None
        audit.record("checked_in" if present else "updated", registration)
    return registration


def door_list(forum_id: int) -> list[Registration]:
    """Everyone the door may see tonight: who holds a place, who waits, and the walk-ins; not the cancelled. In the
    reader's alphabetical order (the database's would put "amal" after "Zahra", or Å before A)."""
    return collated(db.session.scalars(select(Registration).where(
        Registration.forum_id == forum_id, Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Registration.id)), key=lambda registration: registration.name)


def room_at_door(forum: Forum, present: int) -> bool:
    """Whether the door can let in one more from the waiting list: fewer people are inside than the
    forum's places (walk-ins included, as they take a chair like anyone)."""
    return present < forum.capacity


def let_in(registration_id: int) -> Registration:
    """A person from the waiting list came and there is room: their place is confirmed and they are checked
    in, in one step under the forum's lock, so two volunteers cannot fill the last chair twice."""
    with _registration_rule(registration_id) as (forum, registration):
        present = db.session.scalar(select(func.count()).select_from(Registration).where(
            Registration.forum_id == forum.id, Registration.attended_at.is_not(None)))
        if registration.status is not RegistrationStatus.WAITING or not room_at_door(forum, present):
            raise RegistrationError(_l("There is no free place in the room now."))
        registration.status = RegistrationStatus.CONFIRMED
        registration.attended_at = utcnow()
        audit.record("promoted", registration, "let in at the door")
        audit.record("checked_in", registration)
    return registration


def add_walk_in(forum_id: int, name: str, interpretation_language: str = "",
                children_ages: list[int] | None = None) -> Registration:
    """Someone who came without registering. Walk-ins count toward attendance, not toward the online
    places, so staff may let the room exceed the online capacity."""
    registration = Registration(forum_id=forum_id, name=name, status=RegistrationStatus.CONFIRMED, walk_in=True,
                                interpretation_language=interpretation_language,
                                children_ages=children_ages or [], attended_at=utcnow(), language="sv")
    with atomic():
        db.session.add(registration)
        audit.record("checked_in", registration)
    return registration


def search(forum_id: int, *, text: str = "", status: str = "", need: str = "",
           by_contact: bool = False) -> list[Registration]:
    """Registrations of a forum. Only with ``by_contact`` (those who may see contact details) does
    the text also match email addresses and phone numbers: nobody else can probe who is coming."""
    query = select(Registration).where(Registration.forum_id == forum_id)
    if text:
        # autoescape: a % or _ typed into the box is a character to find, not a wildcard.
        matches = [func.lower(Registration.name).contains(text.lower(), autoescape=True)]
        if by_contact:
            matches += [Registration.email.contains(text.lower(), autoescape=True),
                        Registration.phone.contains(normalize_phone(text) or text, autoescape=True)]
        query = query.where(or_(*matches))
    if status in {s.value for s in RegistrationStatus}:
        query = query.where(Registration.status == RegistrationStatus(status))
    if need == "interpreter":
        query = query.where(Registration.interpretation_language != "")
    elif need == "coreteam":
        query = query.where(Registration.wants_coreteam.is_(True))
    elif need == "present":
        query = query.where(Registration.attended_at.is_not(None))
    return list(db.session.scalars(query.order_by(Registration.status, Registration.name, Registration.id)))


# --- access and erasure by address (see personal_data.py) -------------------------------------

EXPORTED_FIELDS = ("name", "name_latin", "door_code", "email", "phone", "messages_by", "language", "spoken_language",
                   "interpretation_language",
                   "children_ages", "access_needs", "diets", "dietary_needs", "wants_coreteam", "newsletter",
                   "consent_at", "status", "walk_in", "attended_at", "created_at", "updated_at", "cancelled_at")


def registration_data(registration: Registration) -> dict:
    """One registration as the person may read it: their details, their needs and their place."""
    forum = registration.forum
    data = {"id": registration.id, **audit.snapshot(registration, EXPORTED_FIELDS),
            "forum": {"id": forum.id, "topic": forum.topic.title, "starts_at": forum.starts_at.isoformat(),
                      "ends_at": forum.ends_at.isoformat(), "venue": forum.venue_name}}
    if registration.status is RegistrationStatus.WAITING:
        data["waiting_position"] = waiting_position(registration)
    return data


def export_by_address(address) -> list[dict]:  # noqa: ANN001 - personal_data.Address
    return [registration_data(registration) for registration in registrations_of(address)]


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    """Inside the erasing transaction (no commit): every registration of the address is removed (``_remove``)."""
    registrations = registrations_of(address)
    for forum_id in sorted({r.forum_id for r in registrations if can_still_change(r)}):
        also_lock(f"forum:{forum_id}")  # as a cancellation takes it, so places are counted right
    return _remove(registrations)


def _remove(registrations: list[Registration]) -> dict:
    """The one way a person's registrations are removed, for "delete my information" and for an erasure
    request (the caller holds the forums' locks and commits). A registration for a forum still to come
    goes outright, its place to the waiting list, whose promoted people are told; one for a forum that
    is over keeps only its anonymous row (who came, which languages, children's ages), and loses the
    keyed hash that would recognise the person at a later forum."""
    coming = [r for r in registrations if can_still_change(r)]
    for registration in coming:
        registration.status = RegistrationStatus.CANCELLED
    db.session.flush()
    promoted = []
    for forum_id in sorted({r.forum_id for r in coming}):
        promoted += _promote(db.session.get(Forum, forum_id))
    _notify_promoted(promoted)
    for registration in coming:
        db.session.delete(registration)
    past = [r for r in registrations if r not in coming]
    for registration in past:
        for name, value in {**cleared_personal_fields(), "person_key": None}.items():
            setattr(registration, name, value)
    db.session.flush()
    return {"deleted": len(coming), "anonymised": len(past), "promoted": len(promoted)}


def export_own(registration_id: int) -> dict:
    """The person's own "download my data" from the manage link: their registration as JSON, kept in
    the register of requests (without the data) like a request to the office."""
    registration = db.session.get(Registration, registration_id)
    data = {"registrations": [registration_data(registration)]}
    address = personal_data.Address(email=registration.email, phone="" if registration.email else registration.phone)
    document = personal_data.document(address, data)
    personal_data.record_self_export(address.digest, {"registrations": 1})
    return document


def record_csv_export(forum_id: int, count: int) -> None:
    """Staff downloaded a forum's registrations with contact details: an export of personal data, audited."""
    with atomic(write=True):
        forum = db.session.get(Forum, forum_id)
        audit.record("exported", forum, f"registrations as CSV ({count})", changes={"rows": [None, count]})
