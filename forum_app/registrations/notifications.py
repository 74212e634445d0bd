"""Emails to participants, each in the language they registered in."""

from __future__ import annotations

from email.message import Message

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core import signed_links
from ..core.extensions import db
from ..core.tokens import hash_token, seal, unseal
from ..i18n.content import localize
from ..mail import compose, outbox
from ..mail.outbox import recipes
from ..planning.calendar import forum_calendar
from ..planning.models import Forum, ForumStatus
from ..web.links import external_url
from .models import Registration, RegistrationStatus


def _subject(registration: Registration, subject_for, forum: Forum) -> tuple[str, str]:  # noqa: ANN001
    """The forum's hook and the subject, in the registration's language."""
    lang = registration.language
    with force_locale(lang):
        hook = localize(forum.hook, lang).text
        return hook, subject_for(hook)


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
    context = {"message": message, "registration": registration, "forum": forum, "hook": hook,
               "can_change": can_change, "with_calendar": with_calendar,
               "manage_url": external_url("registrations.manage", lang=lang, token=token) if token else None,
               "forum_url": external_url("planning.forum", lang=lang, forum_id=forum.id),
               "waiting": status is RegistrationStatus.WAITING, "new_link_url": new_link_url,
               "childcare_full": childcare_full and status is RegistrationStatus.WAITING}
    attachments = []
    if with_calendar:
        attachments.append(compose.Attachment(f"forum-{forum.id}.ics", forum_calendar(forum, lang), "text", "calendar",
                                           {"method": "PUBLISH"}))
    return compose.build_message(to=registration.email, subject=subject, template=template, lang=lang,
                              context=context, attachments=attachments)


def _send(registration: Registration, *args, **kwargs) -> None:  # the arguments of _build
    if registration.email:
        outbox.send(_build(registration, *args, **kwargs))


def _confirmation_subject(status: RegistrationStatus):  # noqa: ANN202
    if status is RegistrationStatus.WAITING:
        return lambda hook: _("You are on the waiting list: %(hook)s", hook=hook)
    return lambda hook: _("You are registered: %(hook)s", hook=hook)


CONFIRMATION = "registration.confirmation"


def send_confirmation(registration: Registration, token: str, *, childcare_full: bool = False) -> None:
    """Queued as a recipe (``outbox.recipes``): the sender writes it after the resident has had the answer.
    ``registration`` is flushed (it has its id) and its status is decided. ``childcare_full``: it waits only
    for a childcare place (a place at the forum was free), and the email says so."""
    if registration.email:
        _hook, subject = _subject(registration, _confirmation_subject(registration.status), registration.forum)
        recipes.queue(registration.email, subject, CONFIRMATION, registration=registration.id, sealed=seal(token),
                      status=registration.status.value, created=registration.created_at.isoformat(),
                      **({"childcare_full": True} if childcare_full else {}))


@recipes.writer(CONFIRMATION)
def write_confirmation(recipe: dict) -> Message | None:
    """The confirmation, for the outcome the resident was told when they registered (a later change, such
    as a place that became free, has its own email), with the forum as it is now. Nothing when the
    registration is gone or cancelled by now (or its id is another's now); no private link when a newer one
    has been sent meanwhile."""
    registration = db.session.get(Registration, recipe["registration"])
    if (registration is None or not registration.email or registration.status is RegistrationStatus.CANCELLED
            or registration.created_at.isoformat() != recipe["created"]):  # SQLite may give a deleted row's id again
        return None
    token = unseal(recipe["sealed"]) if "sealed" in recipe else recipe.get("token")  # queued before sealing
    token = token if token and registration.token_hash == hash_token(token) else None
    status = RegistrationStatus(recipe["status"])
    return _build(registration, "registrations/email/confirmation", _confirmation_subject(status), token,
                  status=status, childcare_full=bool(recipe.get("childcare_full")))


NEW_LINK = "registration.new_link"
NEW_LINK_DAYS = 7  # the email says "within a week"


def new_link_key(registration: Registration) -> str:
    """What an offer of a new link is bound to: the link the registration has now. Once its owner has
    taken a new link (or been sent one), the offer no longer opens anything."""
    return registration.token_hash[:16]


def offer_new_link(registration: Registration) -> None:
    """Email the owner of the address a button that gives them a new private link: the link they have
    keeps working until they press it. Queued as a recipe, so a registration with a known address costs
    what a new one costs, and the answer page cannot tell the two apart by its timing either."""
    if registration.email:
        _hook, subject = _subject(registration, lambda hook: _("Your registration: %(hook)s", hook=hook),
                                  registration.forum)
        recipes.queue(registration.email, subject, NEW_LINK, registration=registration.id,
                      created=registration.created_at.isoformat())


@recipes.writer(NEW_LINK)
def write_new_link_offer(recipe: dict) -> Message | None:
    registration = db.session.get(Registration, recipe["registration"])
    if (registration is None or not registration.email or registration.status is RegistrationStatus.CANCELLED
            or registration.created_at.isoformat() != recipe["created"]):
        return None
    offer = signed_links.make("registration-new-link", [registration.id, new_link_key(registration)])
    return _build(registration, "registrations/email/new_link",
                  lambda hook: _("Your registration: %(hook)s", hook=hook), with_calendar=False,
                  new_link_url=external_url("registrations.new_link", lang=registration.language, offer=offer))


def send_promotion(registration: Registration) -> None:
    _send(registration, "registrations/email/notice",
          lambda hook: _("A place is free for you: %(hook)s", hook=hook),
          message=_l("Good news: a place has become free and it is yours. Your registration is now confirmed."))


def send_confirmed_after_change(registration: Registration) -> None:
    """A person who waited for a childcare place changed what they need (or chose to come without childcare)
    and a place was free: their place is confirmed now. (New in issue 27, in the style of ``send_promotion``.)"""
    _send(registration, "registrations/email/notice",
          lambda hook: _("Your place is confirmed: %(hook)s", hook=hook),
          message=_l("Your place is confirmed now, with the needs below. Welcome!"))


def send_reminder(registration: Registration) -> None:
    _send(registration, "registrations/email/notice", lambda hook: _("Reminder: %(hook)s", hook=hook),
          message=_l("This is a reminder that the forum is soon. We look forward to seeing you!"))


def send_forum_cancelled(registration: Registration) -> None:
    _send(registration, "registrations/email/notice",
          lambda hook: _("Forum cancelled: %(hook)s", hook=hook), with_calendar=True,
          message=_l("We are sorry: this forum has been cancelled. You do not need to do anything. "
                     "We will tell you about the next forum."))
