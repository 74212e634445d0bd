"""Rules of the core team: volunteering, acceptance, one-year terms, invitations, meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from ..accounts.models import Role
from ..accounts.services import account_for, password_link
from ..core import audit
from ..core.addresses import normalize_email, normalize_phone
from ..core.database import atomic
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today, local_to_utc, utc_to_local
from .models import CoreTeamMember, Meeting, MeetingGuest, MembershipEnd, Volunteer, VolunteerStatus, meeting_attendee
from .notifications import send_acceptance, send_decline, send_meeting_invitation, send_term_ending, sms_number

MIN_TEAM, MAX_TEAM = 10, 20
INVITATION_DAYS = 14
TERM_WARNING_DAYS = 30


class CoreTeamError(DomainError):
    """A rule of this domain refused; see ``errors.DomainError``."""


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


MEMBER_FIELDS = ("name", "email", "phone", "language", "languages", "tasks", "term_start", "term_end")
MEETING_TEXT_FIELDS = ("title", "place", "online_link", "agenda", "notes", "decisions")


@atomic()
def save_member(member: CoreTeamMember, **fields) -> CoreTeamMember:  # noqa: ANN003
    before = audit.snapshot(member, MEMBER_FIELDS, personal=("email", "phone"))
    for name in MEMBER_FIELDS:
        if name in fields:
            setattr(member, name, fields[name])
    member.email = normalize_email(member.email)
    audit.record("updated", member, changes=audit.changes(
        before, audit.snapshot(member, MEMBER_FIELDS, personal=("email", "phone"))))
    return member


@atomic()
def save_meeting(meeting: Meeting | None, *, starts_at, ends_at, attendees: list, officials: list | None = None,  # noqa: ANN001
                 officials_present: list | None = None, **fields) -> Meeting:  # noqa: ANN003
    """``attendees``: core-team members who came; ``officials``: officials invited (None: unchanged);
    ``officials_present``: of the officials, those who came (None: unchanged). Who came is recorded once
    the meeting has begun: attendance for a meeting still to come is refused, and nothing is saved."""
    if (attendees or officials_present) and starts_at > utcnow():
        raise CoreTeamError(_l("Who attended can be recorded once the meeting has begun."))
    target = meeting or Meeting()
    watched = MEETING_TEXT_FIELDS + ("starts_at", "ends_at")
    before = {**audit.snapshot(target, watched), **_present(target)} if meeting else None
    for name in MEETING_TEXT_FIELDS:
        setattr(target, name, fields.get(name, ""))
    target.starts_at, target.ends_at = starts_at, ends_at
    target.attendees = attendees
    if officials is not None:
        target.officials = officials
    if officials_present is not None:
        target.officials_present = officials_present
    db.session.add(target)
    audit.record("created" if meeting is None else "updated", target, target.title, changes=audit.changes(
        before, {**audit.snapshot(target, watched), **_present(target)}))
    return target


def _present(meeting: Meeting) -> dict:
    """Who came, for the meeting's history: the members and the officials, by id (the history names them)."""
    return {"attendees": sorted(m.id for m in meeting.attendees) or None,
            "officials_present": sorted(u.id for u in meeting.officials_present) or None}


@atomic()
def volunteer(**fields) -> Volunteer:  # noqa: ANN003
    """A resident offers to join the core team from the public page."""
    person = add_volunteer(**fields)
    db.session.flush()
    audit.record("created", person)
    return person


# --- volunteers -----------------------------------------------------------------------------

@atomic()
def add_from_paper(**fields) -> Volunteer:  # noqa: ANN003
    """Staff type in a volunteer's paper form from the door; then accepted like any other volunteer."""
    person = add_volunteer(**fields)
    person.on_paper = True
    db.session.flush()
    audit.record("created", person, changes={"on_paper": [None, True]})
    return person


def add_volunteer(*, name: str, email: str = "", phone: str = "", language: str = "sv",
                  languages: list | None = None, message: str = "", forum_id: int | None = None) -> Volunteer:
    """Add to the current transaction; the caller commits (a registration saves both or neither).
    The same email offering twice stays one pending volunteer."""
    email = normalize_email(email)
    if email:
        existing = db.session.scalar(select(Volunteer).where(Volunteer.email == email,
                                                             Volunteer.status == VolunteerStatus.PENDING))
        if existing is not None:
            return existing
    volunteer = Volunteer(name=name, email=email, phone=phone, language=language, languages=languages or [],
                          message=message, forum_id=forum_id)
    db.session.add(volunteer)
    return volunteer


@atomic()
def accept(volunteer: Volunteer, *, invite: bool) -> tuple[CoreTeamMember, str | None]:
    if volunteer.status is not VolunteerStatus.PENDING:
        raise CoreTeamError(_l("This volunteer has already been answered."))
    start = city_today()
    member = CoreTeamMember(name=volunteer.name, email=volunteer.email, phone=volunteer.phone,
                            language=volunteer.language, languages=list(volunteer.languages or []),
                            term_start=start, term_end=one_year_after(start), volunteer_id=volunteer.id)
    volunteer.status, volunteer.decided_at = VolunteerStatus.ACCEPTED, utcnow()
    db.session.add(member)
    db.session.flush()
    link = _invitation_link(member) if invite and member.email else None
    audit.record("accepted", volunteer)
    send_acceptance(member, link)  # into the outbox, saved with the change
    return member, link


@atomic()
def decline(volunteer: Volunteer) -> None:
    if volunteer.status is not VolunteerStatus.PENDING:
        raise CoreTeamError(_l("This volunteer has already been answered."))
    volunteer.status, volunteer.decided_at = VolunteerStatus.DECLINED, utcnow()
    audit.record("declined", volunteer)

    send_decline(volunteer)


# --- terms ----------------------------------------------------------------------------------

@atomic()
def renew(member: CoreTeamMember) -> None:
    """One more year from the end of the current term (or from today, if it has ended)."""
    start = max(member.term_end + timedelta(days=1), city_today())
    if member.term_end < city_today():
        member.term_start = start
    member.term_end = one_year_after(start)
    audit.record("renewed", member)


@atomic()
def end_membership(member: CoreTeamMember, *, reason: MembershipEnd, note: str = "") -> None:
    """The membership ends today (term over, or stepped down, with a reason if they gave one): the term
    ends yesterday, so the member no longer counts in the team's size, and their account's access ends."""
    if member.ended_on is not None:
        raise CoreTeamError(_l("This membership has already ended."))
    today = city_today()
    before = audit.snapshot(member, ("term_end", "end_reason", "end_note"))
    member.ended_on, member.end_reason, member.end_note = today, reason, note or ""
    member.term_end = min(member.term_end, today - timedelta(days=1))
    audit.record("ended", member, changes=audit.changes(
        before, audit.snapshot(member, ("term_end", "end_reason", "end_note"))))


@dataclass
class TeamOverview:
    active: list[CoreTeamMember]
    ending_soon: list[CoreTeamMember]
    former: list[CoreTeamMember]

    @property
    def too_small(self) -> bool:
        return len(self.active) < MIN_TEAM

    @property
    def too_large(self) -> bool:
        return len(self.active) > MAX_TEAM


def team_overview(day: date | None = None) -> TeamOverview:
    day = day or city_today()
    members = db.session.scalars(select(CoreTeamMember).order_by(CoreTeamMember.name)).all()
    active = [m for m in members if m.is_active_on(day)]
    soon = [m for m in active if m.term_end <= day + timedelta(days=TERM_WARNING_DAYS)]
    former = [m for m in members if m.term_end < day]
    return TeamOverview(active, soon, former)


def remind_terms_ending() -> int:
    """Tell the member and the staff, once per term, a month before the term ends."""

    day = city_today()
    due = db.session.scalars(select(CoreTeamMember).where(
        CoreTeamMember.term_end >= day, CoreTeamMember.term_end <= day + timedelta(days=TERM_WARNING_DAYS))).all()
    sent = 0
    for member in due:
        with atomic(write=True):  # the claim and the messages are saved together, or neither
            claimed = db.session.execute(
                update(CoreTeamMember).where(
                    CoreTeamMember.id == member.id,
                    (CoreTeamMember.reminded_for_term_end.is_(None))
                    | (CoreTeamMember.reminded_for_term_end != CoreTeamMember.term_end))
                .values(reminded_for_term_end=CoreTeamMember.term_end)).rowcount
            if claimed:
                send_term_ending(db.session.get(CoreTeamMember, member.id, populate_existing=True))
                sent += 1
    return sent


# --- invitations to the workspace -----------------------------------------------------------

def _invitation_link(member: CoreTeamMember) -> str:
    """A core-team account for the member (made if needed) and a link to choose its password: the
    same single-use password link as staff get, valid for the invitation's longer time."""
    user = member.user or account_for(member.email, Role.CORETEAM, name=member.name, language=member.language)
    member.user = user
    user.active = True
    return password_link(user, days=INVITATION_DAYS)


@atomic()
def send_invitation(member: CoreTeamMember) -> str:
    if not member.email:
        raise CoreTeamError(_l("Add an email address to send an invitation."))
    link = _invitation_link(member)
    audit.record("invited", member)
    send_acceptance(member, link)
    return link


# --- meetings -------------------------------------------------------------------------------

@atomic()
def send_meeting_invitations(meeting: Meeting) -> int:
    """The members whose term covers the meeting's day, the invited officials and the department staff
    typed in, each in their language."""
    # A member without an email address (signed up on paper) gets the invitation by SMS.
    people = [m for m in team_overview(utc_to_local(meeting.starts_at).date()).active if m.email or sms_number(m)]
    people += [u for u in meeting.officials if u.email and u.active] + [g for g in meeting.guests if g.email]
    for person in people:
        send_meeting_invitation(person, meeting)
    meeting.invitations_sent_at = utcnow()
    audit.record("invited", meeting, meeting.title, changes={"invitations": [None, len(people)]})
    return len(people)


@atomic()
def add_meeting_guest(meeting: Meeting, *, name: str, email: str, department: str, language: str = "sv") -> MeetingGuest:
    guest = MeetingGuest(meeting=meeting, name=name, email=normalize_email(email), department=department,
                         language=language)
    db.session.add(guest)
    db.session.flush()
    audit.record("created", guest)
    return guest


@atomic()
def remove_meeting_guest(guest: MeetingGuest) -> None:
    audit.record("deleted", guest)
    db.session.delete(guest)


def attendance_by_member(year: int) -> dict[int, int]:
    """How many of the year's meetings each member came to, in one query."""
    rows = db.session.execute(
        select(meeting_attendee.c.member_id, func.count())
        .join(Meeting, Meeting.id == meeting_attendee.c.meeting_id)
        .where(Meeting.starts_at >= _year_start(year), Meeting.starts_at < _year_start(year + 1))
        .group_by(meeting_attendee.c.member_id)).all()
    return dict(rows)


def _year_start(year: int):  # noqa: ANN202
    from datetime import datetime

    return local_to_utc(datetime(year, 1, 1))


# --- access and erasure by address (see personal_data.py) -------------------------------------

ERASED_NAME = "—"


def _matches(row, address) -> bool:  # noqa: ANN001 - a Volunteer or CoreTeamMember; personal_data.Address
    if address.email:
        return normalize_email(row.email) == address.email
    return bool(row.phone) and normalize_phone(row.phone) == address.phone


def _volunteers_of(address) -> list[Volunteer]:  # noqa: ANN001
    return [v for v in db.session.scalars(select(Volunteer).order_by(Volunteer.id)) if _matches(v, address)]


def _members_of(address) -> list[CoreTeamMember]:  # noqa: ANN001
    return [m for m in db.session.scalars(select(CoreTeamMember).order_by(CoreTeamMember.id)) if _matches(m, address)]


def export_by_address(address) -> dict | None:  # noqa: ANN001 - personal_data.Address
    volunteers = [{"id": v.id, **audit.snapshot(v, ("name", "email", "phone", "language", "languages", "message",
                                                    "forum_id", "status", "created_at", "decided_at"))}
                  for v in _volunteers_of(address)]
    members = []
    for member in _members_of(address):
        meetings = db.session.scalars(select(Meeting).join(meeting_attendee).where(
            meeting_attendee.c.member_id == member.id).order_by(Meeting.starts_at)).all()
        members.append({"id": member.id, **audit.snapshot(member, (
            "name", "email", "phone", "language", "languages", "tasks", "term_start", "term_end", "created_at")),
            "has_account": member.user_id is not None,
            "meetings_attended": [{"id": m.id, "title": m.title, "starts_at": m.starts_at.isoformat()}
                                  for m in meetings]})
    if not (volunteers or members):
        return None
    return {"volunteer": volunteers, "member": members}


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    """An offer to volunteer goes; a member's row stays without name and contact details, so meetings
    still count who came (an account of theirs is handled by accounts' own eraser)."""
    volunteers = _volunteers_of(address)
    for volunteer_row in volunteers:
        db.session.delete(volunteer_row)
    members = _members_of(address)
    for member in members:
        member.name, member.email, member.phone, member.languages = ERASED_NAME, "", "", []
        member.volunteer_id = None
    # The log's summaries of these rows carry the person's name: it goes, the events stay.
    for kind, ids in (("Volunteer", [v.id for v in volunteers]), ("CoreTeamMember", [m.id for m in members])):
        if ids:
            db.session.execute(update(audit.AuditEvent).where(
                audit.AuditEvent.object_type == kind, audit.AuditEvent.object_id.in_(ids)).values(summary=audit.MASK))
    return {"volunteers": len(volunteers), "members": len(members)}
