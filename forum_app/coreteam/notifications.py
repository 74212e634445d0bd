"""Emails about the core team, each in the reader's own language."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ..accounts.queries import active_admins
from ..i18n.formatting import format_date
from ..mail import compose, outbox
from ..planning.display import forum_when
from ..web.calendars import build_calendar
from ..web.links import external_url
from .models import CoreTeamMember, Meeting, Volunteer


def _send(to: str, lang: str, subject: str, paragraphs: list[str], link: tuple[str, str] | None = None,
          attachments: list | None = None) -> None:
    if not to:
        return
    outbox.send(compose.build_message(to=to, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link},
                                 attachments=attachments))


def send_acceptance(member: CoreTeamMember, link_url: str | None) -> None:
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
        _send(member.email, lang, _("Welcome to the core team"), paragraphs, link)


def send_decline(volunteer: Volunteer) -> None:
    lang = volunteer.language
    with force_locale(lang):
        _send(volunteer.email, lang, _("About the core team"), [
            _("Hello %(name)s,", name=volunteer.name),
            _("Thank you for offering to join the core team. This time the team is full, so we cannot take you on. "
              "You are very welcome at the forums, and we hope you will offer again next year.")])


def send_term_ending(member: CoreTeamMember) -> None:
    with force_locale(member.language):
        _send(member.email, member.language, _("Your core team term ends soon"), [
            _("Hello %(name)s,", name=member.name),
            _("Your year in the core team ends on %(date)s. If you would like to stay another year, tell the "
              "integration office.", date=format_date(member.term_end, "long"))])
    for admin in active_admins():
        with force_locale(admin.language):
            _send(admin.email, admin.language, _("A core team term ends soon: %(name)s", name=member.name), [
                _("The term of %(name)s in the core team ends on %(date)s.", name=member.name,
                  date=format_date(member.term_end, "long")),
                _("You can renew it with one click on the member's page.")],
                (external_url("coreteam_admin.member", lang=admin.language, member_id=member.id), _("Open the page")))


def send_meeting_invitation(member: CoreTeamMember, meeting: Meeting) -> None:
    lang = member.language
    calendar = build_calendar(uid=f"coreteam-meeting-{meeting.id}", starts_at=meeting.starts_at,
                              ends_at=meeting.ends_at, summary=meeting.title, description=meeting.agenda,
                              location=meeting.place or meeting.online_link, url=meeting.online_link)
    with force_locale(lang):
        paragraphs = [_("Hello %(name)s,", name=member.name),
                      _("You are invited to a core team meeting: %(title)s.", title=meeting.title),
                      _("When: %(when)s", when=forum_when(meeting))]
        if meeting.place:
            paragraphs.append(_("Where: %(place)s", place=meeting.place))
        if meeting.agenda:
            paragraphs.append(meeting.agenda)
        _send(member.email, lang, _("Core team meeting: %(title)s", title=meeting.title), paragraphs,
              (meeting.online_link, _("Join online")) if meeting.online_link else None,
              [compose.Attachment(f"meeting-{meeting.id}.ics", calendar, "text", "calendar", {"method": "PUBLISH"})])
