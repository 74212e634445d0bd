"""Emails to participants, each in the language they registered in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import Message

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import mail
from ..i18n.content import localize
from ..links import external_url
from ..planning.calendar import forum_calendar
from ..planning.models import Forum, ForumStatus
from .models import Registration, RegistrationStatus


def _build(registration: Registration, template: str, subject_for, token: str | None = None,  # noqa: ANN001
           with_calendar: bool = True, message=None, forum: Forum | None = None) -> Message:  # noqa: ANN001
    lang = registration.language
    forum = forum or registration.forum
    with force_locale(lang):
        hook = localize(forum.hook, lang).text
        subject = subject_for(hook)
        message = str(message) if message is not None else None
    # Written from what is true for this person now: only a registration in a forum that still takes
    # place can be changed, and a calendar file goes only to someone with a confirmed place (for a
    # cancelled forum, the cancelling file that removes the entry they were sent).
    confirmed = registration.status is RegistrationStatus.CONFIRMED
    can_change = (registration.status is not RegistrationStatus.CANCELLED
                  and forum.status is not ForumStatus.CANCELLED)
    with_calendar = with_calendar and confirmed
    context = {"message": message, "registration": registration, "forum": forum, "hook": hook,
               "can_change": can_change, "with_calendar": with_calendar,
               "manage_url": external_url("registrations.manage", lang=lang, token=token) if token else None,
               "forum_url": external_url("planning.forum", lang=lang, forum_id=forum.id),
               "waiting": registration.status is RegistrationStatus.WAITING}
    attachments = []
    if with_calendar:
        attachments.append(mail.Attachment(f"forum-{forum.id}.ics", forum_calendar(forum, lang), "text", "calendar",
                                           {"method": "PUBLISH"}))
    return mail.build_message(to=registration.email, subject=subject, template=template, lang=lang,
                              context=context, attachments=attachments)


def _send(registration: Registration, *args, **kwargs) -> None:  # the arguments of _build
    if registration.email:
        mail.send(_build(registration, *args, **kwargs))


def _confirmation(registration: Registration, token: str, forum: Forum | None = None) -> Message:
    def subject(hook: str) -> str:
        if registration.status is RegistrationStatus.WAITING:
            return _("You are on the waiting list: %(hook)s", hook=hook)
        return _("You are registered: %(hook)s", hook=hook)

    return _build(registration, "registrations/email/confirmation", subject, token, forum=forum)


def send_confirmation(registration: Registration, token: str) -> None:
    if registration.email:
        mail.send(_confirmation(registration, token))


@dataclass(frozen=True)
class Confirmation:
    """The confirmation email written before the registration takes its forum's lock, for the outcome
    that is likely then (a place, or the waiting list): rendering it is most of a registration's work,
    and every other registration for the forum waits while the lock is held. Under the lock,
    :meth:`send` puts it into the outbox, in the registration's own transaction, if it is still true;
    only at the edge (the last places taken in that moment, or staff changing the forum) is the
    message written again under the lock."""

    status: RegistrationStatus
    message: mail.Flattened
    forum_version: datetime  # the forum's ``updated_at`` the message was written from

    @classmethod
    def prepare(cls, registration: Registration, forum: Forum, token: str, likely: RegistrationStatus) -> Confirmation:
        """``registration`` is not saved yet: its status is set to ``likely`` for the writing, then cleared."""
        registration.status = likely
        message = mail.flattened(_confirmation(registration, token, forum))
        registration.status = None
        return cls(likely, message, forum.updated_at)

    def send(self, registration: Registration, token: str) -> None:
        """Under the lock, once the status is known."""
        if registration.status is self.status and registration.forum.updated_at == self.forum_version:
            mail.send(self.message)
        else:
            send_confirmation(registration, token)


def send_manage_link(registration: Registration, token: str) -> None:
    _send(registration, "registrations/email/manage_link",
          lambda hook: _("Your new link for %(hook)s", hook=hook), token, with_calendar=False)


def send_promotion(registration: Registration) -> None:
    _send(registration, "registrations/email/notice",
          lambda hook: _("A place is free for you: %(hook)s", hook=hook),
          message=_l("Good news: a place has become free and it is yours. Your registration is now confirmed."))


def send_reminder(registration: Registration) -> None:
    _send(registration, "registrations/email/notice", lambda hook: _("Reminder: %(hook)s", hook=hook),
          message=_l("This is a reminder that the forum is soon. We look forward to seeing you!"))


def send_forum_cancelled(registration: Registration) -> None:
    _send(registration, "registrations/email/notice",
          lambda hook: _("Forum cancelled: %(hook)s", hook=hook), with_calendar=True,
          message=_l("We are sorry: this forum has been cancelled. You do not need to do anything. "
                     "We will tell you about the next forum."))
