"""Messages to participants, each in the language they registered in, on their channels: by email when they
gave an address, by SMS to their mobile number when they gave no address or asked for SMS or both
(``contacts``): each message once on each channel. Every message is queued with the change
and written by the sender when it goes (``mail.outbox.recipes``): an SMS is a short text of its own, with a
short link (``/r/<token>``) where the email has the long one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from email.message import Message

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import signed_links
from ..core.extensions import db
from ..core.tokens import hash_token, new_token, seal, unseal
from ..i18n import LANGUAGES
from ..i18n.content import fallback_note_text, localize
from ..mail import compose, sms
from ..mail.outbox import recipes
from ..planning.calendar import forum_calendar
from ..planning.display import forum_when_short, map_links
from ..planning.models import Forum, ForumStatus
from ..web.links import external_url
from .door import CODE_LENGTH, door_code
from .models import Registration, RegistrationStatus
from .queries import contacts


def _queue(registration: Registration, subject: str, kind: str, **values) -> bool:  # noqa: ANN003
    """Queue ``kind`` for the person once on each of their channels; False when nothing reaches them."""
    reach = contacts(registration)
    for channel, address in reach:
        recipes.queue(address, subject, kind, channel=channel, registration=registration.id,
                      created=registration.created_at.isoformat(), **values)
    return bool(reach)


def _current(recipe: dict) -> Registration | None:
    """The registration a recipe was queued for, if it is still there (SQLite may give a deleted row's id
    to a new one: the recipe names when it was made) and still reachable on the recipe's channel."""
    registration = db.session.get(Registration, recipe["registration"])
    if registration is None or registration.created_at.isoformat() != recipe["created"]:
        return None
    reached = any(channel == recipe["channel"] for channel, _address in contacts(registration))
    return registration if reached else None


def same_mobile(stored: str, typed: str) -> bool:
    """Whether two ways of writing a number reach the same mobile ("070-123 45 67" and "+46701234567")."""
    country = current_app.config["SMS_COUNTRY_CODE"]
    mine = sms.phone_for_sms(stored, country)
    return mine is not None and mine == sms.phone_for_sms(typed, country)


def short_url(token: str) -> str:
    """The private link as an SMS carries it: ``/r/<token>``, which opens the same page as the long one."""
    return external_url("registrations_short.manage", token=token)


def _sms(registration: Registration, text) -> str:  # noqa: ANN001 - a function of the forum's short "when"
    lang = registration.language
    with force_locale(lang):
        return text(forum_when_short(registration.forum, lang))


def _registered_sms(when: str, link: str, code: str) -> str:
    """The confirmation of a place by SMS: with the code to show at the door (a registration from before the
    codes has none). No map link: it would take a third segment (issue 26); the email has it."""
    if code:
        return _("You are registered for the migrant forum on %(when)s. Registration code: %(code)s. %(link)s",
                 when=when, code=code, link=link)
    return _("You are registered for the migrant forum on %(when)s. Your page: %(link)s", when=when, link=link)


def _promotion_sms(when: str, place: str, link: str, code: str) -> str:  # noqa: ARG001 - as every notice's text
    if code:
        return _("A place is free for you at the migrant forum on %(when)s. Registration code: %(code)s. %(link)s",
                 when=when, code=code, link=link)
    return _("A place is free for you at the migrant forum on %(when)s. Your page: %(link)s", when=when, link=link)


def _subject(registration: Registration, subject_for, forum: Forum) -> tuple[str, str]:  # noqa: ANN001
    """The forum's hook and the subject, in the registration's language."""
    lang = registration.language
    with force_locale(lang):
        hook = localize(forum.hook, lang).text
        return hook, subject_for(hook)


def _hook_note(forum: Forum, lang: str) -> str:
    """"Not yet available in …, shown in Swedish" under the hook, as the invitation page says it."""
    with force_locale(lang):
        return fallback_note_text(localize(forum.hook, lang))


def _build(registration: Registration, template: str, subject_for, token: str | None = None,  # noqa: ANN001
           with_calendar: bool = True, message=None, status: RegistrationStatus | None = None,  # noqa: ANN001
           new_link_url: str | None = None, childcare_full: bool = False) -> Message:
    """``status``: the one to write from, when it is not the registration's own (a confirmation written
    after the registration, for the outcome the resident was told)."""
    lang = registration.language
    forum = registration.forum
    status = status or registration.status
    hook, subject = _subject(registration, subject_for, forum)
    with force_locale(lang):
        message = str(message) if message is not None else None
    # Written from what is true for this person now: only a registration in a forum that still takes
    # place can be changed, and a calendar file goes only to someone with a confirmed place (for a
    # cancelled forum, the cancelling file that removes the entry they were sent).
    confirmed = status is RegistrationStatus.CONFIRMED
    can_change = status is not RegistrationStatus.CANCELLED and forum.status is not ForumStatus.CANCELLED
    with_calendar = with_calendar and confirmed
    # Where the person is still coming: the code to show at the door and the way there.
    context = {"message": message, "registration": registration, "forum": forum, "hook": hook,
               "door_code": door_code(registration) if can_change else "",
               "maps": map_links(forum) if can_change else None,
               "hook_note": _hook_note(forum, lang),
               "can_change": can_change, "with_calendar": with_calendar,
               "manage_url": external_url("registrations.manage", lang=lang, token=token) if token else None,
               "forum_url": external_url("planning.forum", lang=lang, forum_id=forum.id),
               "waiting": status is RegistrationStatus.WAITING, "new_link_url": new_link_url,
               "childcare_full": childcare_full and status is RegistrationStatus.WAITING}
    attachments = []
    if with_calendar:
        attachments.append(compose.Attachment(f"forum-{forum.id}.ics", forum_calendar(forum, lang), "text", "calendar",
                                           {"method": "PUBLISH", "charset": "utf-8"}))
    return compose.build_message(to=registration.email, subject=subject, template=template, lang=lang,
                              context=context, attachments=attachments)


def _confirmation_subject(status: RegistrationStatus):  # noqa: ANN202
    if status is RegistrationStatus.WAITING:
        return lambda hook: _("You are on the waiting list: %(hook)s", hook=hook)
    return lambda hook: _("You are registered: %(hook)s", hook=hook)


CONFIRMATION = "registration.confirmation"


def send_confirmation(registration: Registration, token: str, *, childcare_full: bool = False) -> None:
    """Queued as a recipe (``outbox.recipes``): the sender writes it after the resident has had the answer.
    ``registration`` is flushed (it has its id) and its status is decided. ``childcare_full``: it waits only
    for a childcare place (a place at the forum was free), and the email says so."""
    _hook, subject = _subject(registration, _confirmation_subject(registration.status), registration.forum)
    _queue(registration, subject, CONFIRMATION, sealed=seal(token), status=registration.status.value,
           **({"childcare_full": True} if childcare_full else {}))


@recipes.writer(CONFIRMATION)
def write_confirmation(recipe: dict) -> Message | None:
    """The confirmation, for the outcome the resident was told when they registered (a later change, such
    as a place that became free, has its own email), with the forum as it is now. Nothing when the
    registration is gone or cancelled by now (or its id is another's now); no private link when a newer one
    has been sent meanwhile."""
    registration = _current(recipe)
    if registration is None or registration.status is RegistrationStatus.CANCELLED:
        return None
    token = unseal(recipe["sealed"]) if "sealed" in recipe else recipe.get("token")  # queued before sealing
    token = token if token and registration.token_hash == hash_token(token) else None
    status = RegistrationStatus(recipe["status"])
    if recipe["channel"] == recipes.SMS:
        link = short_url(token) if token else ""
        if status is RegistrationStatus.WAITING:
            return _sms(registration, lambda when: _(
                "You are on the waiting list for the migrant forum on %(when)s. Your page: %(link)s", when=when,
                link=link))
        return _sms(registration, lambda when: _registered_sms(when, link, door_code(registration)))
    return _build(registration, "registrations/email/confirmation", _confirmation_subject(status), token,
                  status=status, childcare_full=bool(recipe.get("childcare_full")))


NEW_LINK = "registration.new_link"
NEW_LINK_DAYS = 7  # the email says "within a week"


def new_link_key(registration: Registration) -> str:
    """What an offer of a new link is bound to: the link the registration has now. Once its owner has
    taken a new link (or been sent one), the offer no longer opens anything."""
    return registration.token_hash[:16]


def send_new_link_offer(registration: Registration) -> None:
    """Email the owner of the address a button that gives them a new private link: the link they have
    keeps working until they press it. Queued as a recipe, so a registration with a known address costs
    what a new one costs, and the answer page cannot tell the two apart by its timing either."""
    _hook, subject = _subject(registration, lambda hook: _("Your registration: %(hook)s", hook=hook),
                              registration.forum)
    _queue(registration, subject, NEW_LINK)


@recipes.writer(NEW_LINK)
def write_new_link_offer(recipe: dict) -> Message | None:
    registration = _current(recipe)
    if registration is None or registration.status is RegistrationStatus.CANCELLED:
        return None
    offer = signed_links.make("registration-new-link", [registration.id, new_link_key(registration)])
    if recipe["channel"] == recipes.SMS:
        link = external_url("registrations_short.new_link", offer=offer)
        return _sms(registration, lambda when: _(
            "Migrant forum on %(when)s: for a new private link, open %(link)s", when=when, link=link))
    return _build(registration, "registrations/email/new_link",
                  lambda hook: _("Your registration: %(hook)s", hook=hook), with_calendar=False,
                  new_link_url=external_url("registrations.new_link", lang=registration.language, offer=offer))


NOTICE = "registration.notice"


class Notice:
    """What one kind of notice says: by email (template, subject, message, whether the calendar file goes
    with it) and by SMS (a text of the forum's short time, place and link)."""

    def __init__(self, subject_for, message, sms_text, *, with_calendar: bool = True,  # noqa: ANN001
                 with_link: bool = False) -> None:
        """``sms_text(when, place, link, code)``: ``code`` is the door code, which only a promotion carries."""
        self.subject_for, self.message, self.sms_text = subject_for, message, sms_text
        self.with_calendar, self.with_link = with_calendar, with_link


NOTICES = {
    "promotion": Notice(
        lambda hook: _("A place is free for you: %(hook)s", hook=hook),
        _l("Good news: a place has become free and it is yours. Your registration is now confirmed."),
        _promotion_sms,
        with_link=True),
    "reminder": Notice(
        lambda hook: _("Reminder: %(hook)s", hook=hook),
        _l("This is a reminder that the forum is soon. We look forward to seeing you!"),
        lambda when, place, link, code: _("Reminder: the migrant forum is on %(when)s at %(place)s. Welcome!",
                                          when=when, place=place)),
    "forum_moved": Notice(
        lambda hook: _("New time or place: %(hook)s", hook=hook),
        _l("The forum has a new time or place; what is below is up to date. The calendar file replaces the "
           "one we sent before."),
        lambda when, place, link, code: _("The migrant forum has a new time or place: %(when)s at %(place)s.",
                                          when=when, place=place)),
    "forum_cancelled": Notice(
        lambda hook: _("Forum cancelled: %(hook)s", hook=hook),
        _l("We are sorry: this forum has been cancelled. You do not need to do anything. "
           "We will tell you about the next forum."),
        lambda when, place, link, code: _("We are sorry: the migrant forum on %(when)s is cancelled. We will tell you "
                                          "about the next one.", when=when)),
    "confirmed_after_change": Notice(
        lambda hook: _("Your place is confirmed: %(hook)s", hook=hook),
        _l("Your place is confirmed now, with the needs below. Welcome!"),
        lambda when, place, link, code: _("Your place at the migrant forum on %(when)s is confirmed. Welcome!",
                                          when=when)),
    "cancelled_by_you": Notice(
        lambda hook: _("Your registration is cancelled: %(hook)s", hook=hook),
        _l("Your registration is cancelled. Thank you for letting us know. With your private link you can "
           "still download or delete your information."),
        lambda when, place, link, code: _("Your place at the migrant forum on %(when)s is cancelled. Thank you for "
                                          "letting us know.", when=when),
        with_calendar=False),
}


def _notify(registration: Registration, notice: str, token: str | None = None) -> None:
    """Queue ``notice`` for the person of ``registration`` on their channel; the sender writes it
    (``write_notice``). ``token``, a new private link the notice carries, waits sealed."""
    _hook, subject = _subject(registration, NOTICES[notice].subject_for, registration.forum)
    _queue(registration, subject, NOTICE, notice=notice, **({"sealed": seal(token)} if token else {}))


@recipes.writer(NOTICE)
def write_notice(recipe: dict) -> Message | str | None:
    """Written from the registration and the forum as they are when it goes; nothing for a registration
    that is gone by then (or whose id is another's now), and no link that a newer one has replaced."""
    registration = _current(recipe)
    if registration is None:
        return None
    notice = NOTICES[recipe["notice"]]
    token = unseal(recipe["sealed"]) if recipe.get("sealed") else None
    token = token if token and registration.token_hash == hash_token(token) else None
    if recipe["channel"] == recipes.SMS:
        link = short_url(token) if token else ""
        return _sms(registration, lambda when: notice.sms_text(when, registration.forum.venue_name, link,
                                                               door_code(registration)))
    return _build(registration, "registrations/email/notice", notice.subject_for, token,
                  with_calendar=notice.with_calendar, message=notice.message)


def send_promotion(registration: Registration) -> None:
    """The promotion carries the private link (the first message's may be long gone): a new one, which
    replaces the old, as the person's own link now says "confirmed"."""
    token, registration.token_hash = new_token()
    _notify(registration, "promotion", token)


def send_confirmed_after_change(registration: Registration) -> None:
    """A person who waited for a childcare place changed what they need (or chose to come without childcare)
    and a place was free: their place is confirmed now. No new link: they did it on their private page."""
    _notify(registration, "confirmed_after_change")


def send_reminder(registration: Registration) -> None:
    _notify(registration, "reminder")  # no link: the person's link stays as it is


def send_forum_moved(registration: Registration) -> None:
    _notify(registration, "forum_moved")


def send_forum_cancelled(registration: Registration) -> None:
    _notify(registration, "forum_cancelled")


def send_cancelled_by_you(registration: Registration) -> None:
    _notify(registration, "cancelled_by_you")


# --- what a forum's SMS cost ----------------------------------------------------------------------

SAMPLE_TOKEN = "x" * 32  # as long as a real private link's token (tokens.new_token)
SAMPLE_CODE = "X" * CODE_LENGTH  # as long as a real door code

# The kinds of SMS a registration can get, as staff see them, and the text each is written from.
SMS_KINDS = [
    ("confirmation", _l("Confirmation"), lambda when, place, link, code: _registered_sms(when, link, code)),
    ("promotion", _l("A place became free"), NOTICES["promotion"].sms_text),
    ("reminder", _l("Reminder"), NOTICES["reminder"].sms_text),
    ("forum_moved", _l("New time or place"), NOTICES["forum_moved"].sms_text),
    ("forum_cancelled", _l("Forum cancelled"), NOTICES["forum_cancelled"].sms_text),
    ("cancelled_by_you", _l("Cancellation confirmed"), NOTICES["cancelled_by_you"].sms_text),
]
EXPECTED_PER_PERSON = ("confirmation", "reminder")  # what everyone reached by SMS gets; the rest if it happens


@dataclass(frozen=True)
class SmsEstimate:
    people: int  # registered, reachable only by SMS
    parts: list[tuple[str, int]]  # (kind's label, SMS segments of its longest text in the forum's languages)
    cost: Decimal | None  # of what everyone gets (EXPECTED_PER_PERSON), None without SMS_SEGMENT_PRICE
    by_sms: int = 0  # everyone who gets SMS: those only SMS reaches and those who asked for SMS or both


def sms_estimate(forum: Forum) -> SmsEstimate:
    """How many of a forum's registrations hear by SMS, how many segments each kind of SMS takes for them
    (the longest text among their languages, with the forum's own time and venue and a link as long as a
    real one), and what the SMS everyone gets cost at ``SMS_SEGMENT_PRICE``."""
    registrations = db.session.scalars(select(Registration).where(
        Registration.forum_id == forum.id, Registration.status != RegistrationStatus.CANCELLED,
        Registration.phone != "")).all()
    reached = [r for r in registrations if any(channel == "sms" for channel, _address in contacts(r))]
    languages = {r.language for r in reached} or set(LANGUAGES)
    link = external_url("registrations_short.manage", token=SAMPLE_TOKEN)
    parts, segments_of = [], {}
    for kind, label, text in SMS_KINDS:
        longest = 0
        for lang in languages:
            with force_locale(lang):
                longest = max(longest, sms.segments(text(forum_when_short(forum, lang), forum.venue_name, link,
                                                         SAMPLE_CODE)))
        parts.append((label, longest))
        segments_of[kind] = longest
    price = current_app.config["SMS_SEGMENT_PRICE"]
    cost = (Decimal(len(reached)) * sum(segments_of[kind] for kind in EXPECTED_PER_PERSON) * Decimal(price)
            if price else None)
    return SmsEstimate(sum(1 for r in reached if not r.email), parts, cost, len(reached))
