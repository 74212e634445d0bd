"""Emails about the core team, each in the reader's own language, queued with the change and written by the
sender when they go (``mail.outbox.recipes``): from the member, volunteer or meeting as it is then."""

from __future__ import annotations

from email.message import Message

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..accounts.queries import active_admins, users_by_id
from ..core.extensions import db
from ..core.tokens import seal, unseal
from ..i18n.formatting import format_date, format_datetime
from ..mail import compose, sms
from ..mail.outbox import recipes
from ..planning.display import forum_when
from ..web.calendars import build_calendar
from ..web.links import external_url
from .models import CoreTeamMember, Meeting, MeetingGuest, Volunteer

ACCEPTANCE, DECLINE = "coreteam.acceptance", "coreteam.decline"
TERM_ENDING, TERM_ENDING_ADMIN = "coreteam.term_ending", "coreteam.term_ending_admin"
MEETING_INVITATION = "coreteam.meeting_invitation"


def _message(to: str, lang: str, subject: str, paragraphs: list[str], link: tuple[str, str] | None = None,
             attachments: list | None = None) -> Message:
    return compose.build_message(to=to, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link},
                                 attachments=attachments)


def _in(lang: str, text) -> str:  # noqa: ANN001 - a function of no arguments giving the translated text
    with force_locale(lang):
        return text()


# --- welcome and no-thank-you --------------------------------------------------------------------

def send_acceptance(member: CoreTeamMember, link_url: str | None) -> None:
    """``link_url`` (a password link) waits sealed in the queue: a copy of the database holds no working link."""
    if member.email:
        recipes.queue(member.email, _in(member.language, lambda: _("Welcome to the core team")), ACCEPTANCE,
                      member=member.id, sealed=seal(link_url) if link_url else None)


@recipes.writer(ACCEPTANCE)
def write_acceptance(recipe: dict) -> Message | None:
    member = db.session.get(CoreTeamMember, recipe["member"])
    if member is None or not member.email:
        return None
    link_url = unseal(recipe["sealed"]) if recipe.get("sealed") else None
    lang = member.language
    with force_locale(lang):
        paragraphs = [_("Hello %(name)s,", name=member.name),
                      _("Welcome to the core team of the migrant forum! Your term is one year, until %(date)s.",
                        date=format_date(member.term_end, "long")),
                      _("We will invite you to the team's meetings between the forums.")]
        link = None
        if link_url:
            paragraphs.append(_("With the link below you choose a password and get into the core team's "
                                "workspace. The link works once and for 14 days."))
            link = (link_url, _("Choose your password"))
        return _message(member.email, lang, _("Welcome to the core team"), paragraphs, link)


def send_decline(volunteer: Volunteer) -> None:
    if volunteer.email:
        recipes.queue(volunteer.email, _in(volunteer.language, lambda: _("About the core team")), DECLINE,
                      volunteer=volunteer.id)


@recipes.writer(DECLINE)
def write_decline(recipe: dict) -> Message | None:
    volunteer = db.session.get(Volunteer, recipe["volunteer"])
    if volunteer is None or not volunteer.email:
        return None
    lang = volunteer.language
    with force_locale(lang):
        return _message(volunteer.email, lang, _("About the core team"), [
            _("Hello %(name)s,", name=volunteer.name),
            _("Thank you for offering to join the core team. This time the team is full, so we cannot take you on. "
              "You are very welcome at the forums, and we hope you will offer again next year.")])


# --- the end of a term ---------------------------------------------------------------------------

def send_term_ending(member: CoreTeamMember) -> None:
    if member.email:
        recipes.queue(member.email, _in(member.language, lambda: _("Your core team term ends soon")), TERM_ENDING,
                      member=member.id)
    for admin in active_admins():
        if admin.email:
            recipes.queue(admin.email, _in(admin.language, lambda: _("A core team term ends soon: %(name)s",
                                                                      name=member.name)),
                          TERM_ENDING_ADMIN, member=member.id, admin=admin.id)


@recipes.writer(TERM_ENDING)
def write_term_ending(recipe: dict) -> Message | None:
    member = db.session.get(CoreTeamMember, recipe["member"])
    if member is None or not member.email:
        return None
    with force_locale(member.language):
        return _message(member.email, member.language, _("Your core team term ends soon"), [
            _("Hello %(name)s,", name=member.name),
            _("Your year in the core team ends on %(date)s. If you would like to stay another year, tell the "
              "integration office.", date=format_date(member.term_end, "long"))])


@recipes.writer(TERM_ENDING_ADMIN)
def write_term_ending_for_admin(recipe: dict) -> Message | None:
    member = db.session.get(CoreTeamMember, recipe["member"])
    admin = _user(recipe["admin"])
    if member is None or admin is None or not admin.email or not admin.active:
        return None
    with force_locale(admin.language):
        return _message(admin.email, admin.language, _("A core team term ends soon: %(name)s", name=member.name), [
            _("The term of %(name)s in the core team ends on %(date)s.", name=member.name,
              date=format_date(member.term_end, "long")),
            _("You can renew it with one click on the member's page.")],
            (external_url("coreteam_admin.member", lang=admin.language, member_id=member.id), _("Open the page")))


# --- meetings ------------------------------------------------------------------------------------

def _user(user_id: int):  # noqa: ANN202
    return next(iter(users_by_id([user_id])), None)


def _person(kind: str, person_id: int):  # noqa: ANN202 - a member, an official's account or a guest
    if kind == "member":
        return db.session.get(CoreTeamMember, person_id)
    if kind == "guest":
        return db.session.get(MeetingGuest, person_id)
    return _user(person_id)


def _kind_of(person) -> str:  # noqa: ANN001
    if isinstance(person, CoreTeamMember):
        return "member"
    if isinstance(person, MeetingGuest):
        return "guest"
    return "user"


def sms_number(person) -> str | None:  # noqa: ANN001
    """A member without an email address (signed up on paper) is reached by SMS, if their number can take one."""
    if getattr(person, "email", "") or not getattr(person, "phone", ""):
        return None
    return sms.phone_for_sms(person.phone, current_app.config["SMS_COUNTRY_CODE"])


def send_meeting_invitation(person, meeting: Meeting) -> bool:  # noqa: ANN001 - member, official or guest
    """By email, or by SMS to a member without one; False when neither reaches them."""
    subject = _in(person.language, lambda: _("Core team meeting: %(title)s", title=meeting.title))
    values = {"person": [_kind_of(person), person.id], "meeting": meeting.id}
    if person.email:
        recipes.queue(person.email, subject, MEETING_INVITATION, **values)
        return True
    number = sms_number(person)
    if number:
        recipes.queue(number, subject, MEETING_INVITATION, channel=recipes.SMS, **values)
        return True
    return False


@recipes.writer(MEETING_INVITATION)
def write_meeting_invitation(recipe: dict) -> Message | None:
    """The meeting as it is when the invitation goes (its time and place, if changed meanwhile)."""
    person = _person(*recipe["person"])
    meeting = db.session.get(Meeting, recipe["meeting"])
    if person is None or meeting is None:
        return None
    lang = person.language
    if recipe["channel"] == recipes.SMS:
        with force_locale(lang):
            when = format_datetime(meeting.starts_at, "short", lang)
            return _("Meeting of the core team on %(when)s at %(place)s. Please come!", when=when,
                     place=meeting.place or meeting.online_link)
    if not person.email:
        return None
    calendar = build_calendar(uid=f"coreteam-meeting-{meeting.id}", starts_at=meeting.starts_at,
                              ends_at=meeting.ends_at, summary=meeting.title, description=meeting.agenda,
                              location=meeting.place or meeting.online_link, url=meeting.online_link)
    with force_locale(lang):
        paragraphs = [_("Hello %(name)s,", name=person.name),
                      _("You are invited to a core team meeting: %(title)s.", title=meeting.title),
                      _("When: %(when)s", when=forum_when(meeting))]
        if meeting.place:
            paragraphs.append(_("Where: %(place)s", place=meeting.place))
        if meeting.agenda:
            paragraphs.append(meeting.agenda)
        return _message(person.email, lang, _("Core team meeting: %(title)s", title=meeting.title), paragraphs,
                        (meeting.online_link, _("Join online")) if meeting.online_link else None,
                        [compose.Attachment(f"meeting-{meeting.id}.ics", calendar, "text", "calendar",
                                            {"method": "PUBLISH", "charset": "utf-8"})])
