"""Emails of the plan: a forum's invitation to its partner organisations, in each one's language."""

from __future__ import annotations

from email.message import Message

from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.extensions import db
from ..i18n import LANGUAGES
from ..i18n.content import fallback_note_text, localize
from ..mail import compose
from ..mail.outbox import recipes
from ..web.links import external_url
from .display import forum_when_in
from .models import Forum, Organisation


def invitation_subject(forum: Forum, lang: str) -> str:
    with force_locale(lang):
        return _("Invitation to the migrant forum: %(hook)s", hook=localize(forum.hook, lang).text)


PARTNER_INVITATION = "planning.partner_invitation"


def send_partner_invitation(forum: Forum, organisation: Organisation, lang: str) -> str:
    """Into the outbox, in the caller's transaction; returns the subject for the log."""
    lang = lang if lang in LANGUAGES else "sv"
    subject = invitation_subject(forum, lang)
    recipes.queue(organisation.email, subject, PARTNER_INVITATION, forum=forum.id, organisation=organisation.id,
                  lang=lang)
    return subject


@recipes.writer(PARTNER_INVITATION)
def write_partner_invitation(recipe: dict) -> Message | None:
    """The invitation as the forum is when it goes; nothing if the forum or the organisation is gone."""
    forum = db.session.get(Forum, recipe["forum"])
    organisation = db.session.get(Organisation, recipe["organisation"])
    if forum is None or organisation is None or not organisation.email:
        return None
    lang = recipe["lang"]
    subject = invitation_subject(forum, lang)
    hook, description = localize(forum.hook, lang), localize(forum.description, lang)
    with force_locale(lang):
        paragraphs = [
            _("Dear %(name)s,", name=organisation.contact_person or organisation.name),
            _("You are part of our network, so we invite you and the people you reach to the migrant forum "
              "on %(topic)s.", topic=localize(forum.topic.title, lang).text),
            hook.text,
            description.text,
            # shown in Swedish: marked as the invitation page marks it
            fallback_note_text(hook if hook.is_fallback else description),
            _("When: %(when)s. Where: %(venue)s, %(address)s.", when=forum_when_in(forum, lang),
              venue=forum.venue_name, address=forum.venue_address),
            _("A poster to print and put up: %(url)s", url=external_url("planning.poster", lang=lang,
                                                                      forum_id=forum.id)),
            _("Please pass the invitation on. Everyone is welcome; registration is free."),
        ]
        link = (external_url("planning.forum", lang=lang, forum_id=forum.id), _("Read the invitation and register"))
    return compose.build_message(to=organisation.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": [p for p in paragraphs if p],
                                          "link": link})
