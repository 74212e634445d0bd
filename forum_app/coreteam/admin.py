"""Staff pages of the core team, and the core team's own workspace."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..accounts import queries as accounts_queries
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today, local_naive, local_to_utc
from ..i18n.collation import collated
from ..i18n.formatting import format_date
from ..planning.forms import forum_choices
from ..registrations.queries import forums_registered_for
from ..web.access import staff_required
from ..web.links import back_to
from . import queries, services
from .forms import AcceptForm, EndMembershipForm, GuestForm, MeetingForm, MemberForm, PaperVolunteerForm, task_choices
from .models import CoreTeamMember, Meeting, MeetingGuest, MembershipEnd, Volunteer, VolunteerStatus

bp = Blueprint("coreteam_admin", __name__, url_prefix="/<lang:lang>/admin/core-team")


@bp.route("/")
@staff_required("manage_core_team")
def team():
    overview = services.team_overview()
    volunteers = db.session.scalars(select(Volunteer).where(Volunteer.status == VolunteerStatus.PENDING)
                                    .order_by(Volunteer.created_at)).all()
    year = city_today().year
    return render_template("coreteam/admin/team.html", overview=overview, volunteers=volunteers,
                           attended=forums_registered_for([v.email for v in volunteers]),
                           attendance=services.attendance_by_member(year), year=year,
                           accept_form=AcceptForm(), tasks=dict(task_choices()),
                           limits=(services.MIN_TEAM, services.MAX_TEAM))


def _answer(volunteer_id: int, accept: bool):
    volunteer = db.get_or_404(Volunteer, volunteer_id)
    try:
        if accept:
            member, _token = services.accept(volunteer, invite=AcceptForm().invite.data)
            flash(_("%(name)s has joined the core team.", name=member.name), "success")
        else:
            services.decline(volunteer)
            flash(_("%(name)s has been told.", name=volunteer.name), "success")
    except services.CoreTeamError as error:
        flash(str(error.message), "error")
    return redirect(url_for(".team"))


@bp.route("/volunteers/<int:volunteer_id>/accept", methods=["POST"])
@staff_required("manage_core_team")
def accept(volunteer_id: int):
    return _answer(volunteer_id, True)


@bp.route("/volunteers/<int:volunteer_id>/decline", methods=["POST"])
@staff_required("manage_core_team")
def decline(volunteer_id: int):
    return _answer(volunteer_id, False)


@bp.route("/members/<int:member_id>", methods=["GET", "POST"])
@staff_required("manage_core_team")
def member(member_id: int):
    member = db.get_or_404(CoreTeamMember, member_id)
    form = MemberForm(obj=member)
    if form.validate_on_submit():
        services.save_member(member, **{name: getattr(form, name).data for name in services.MEMBER_FIELDS})
        flash(_("The member is saved."), "success")
        return redirect(url_for(".member", member_id=member.id))
    return render_template("coreteam/admin/member.html", member=member, form=form, end_form=EndMembershipForm(),
                           today=city_today()), 400 if form.errors else 200


@bp.route("/members/<int:member_id>/end", methods=["POST"])
@staff_required("manage_core_team")
def end_membership(member_id: int):
    member = db.get_or_404(CoreTeamMember, member_id)
    form = EndMembershipForm()
    if form.validate_on_submit():
        try:
            services.end_membership(member, reason=MembershipEnd(form.reason.data), note=form.note.data or "")
        except services.CoreTeamError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The membership of %(name)s has ended.", name=member.name), "success")
    else:
        flash(_("Choose why the membership ends."), "error")
    return redirect(url_for(".member", member_id=member.id))


@bp.route("/volunteers/paper", methods=["GET", "POST"])
@staff_required("manage_core_team")
def paper_volunteer():
    """A volunteer's paper form from the door, typed in; then accepted or declined like the others."""
    form = PaperVolunteerForm()
    form.forum_id.choices = [(0, "—")] + forum_choices()
    if form.validate_on_submit():
        person = services.add_from_paper(name=form.name.data, email=form.email.data or "", phone=form.phone.data or "",
                                         language=form.language.data, languages=form.languages.data or [],
                                         message=form.message.data, forum_id=form.forum_id.data or None)
        flash(_("%(name)s is added to the volunteers waiting for an answer.", name=person.name), "success")
        return redirect(url_for(".team"))
    return render_template("coreteam/admin/paper_volunteer.html", form=form), 400 if form.errors else 200


@bp.route("/members/<int:member_id>/renew", methods=["POST"])
@staff_required("manage_core_team")
def renew(member_id: int):
    member = db.get_or_404(CoreTeamMember, member_id)
    services.renew(member)
    flash(_("The term is renewed until %(date)s.", date=format_date(member.term_end, "long")), "success")
    return redirect(back_to(url_for(".team")))


@bp.route("/members/<int:member_id>/invite", methods=["POST"])
@staff_required("manage_core_team")
def invite(member_id: int):
    member = db.get_or_404(CoreTeamMember, member_id)
    try:
        services.send_invitation(member)
    except services.CoreTeamError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The invitation is sent to %(email)s.", email=member.email), "success")
    return redirect(url_for(".member", member_id=member.id))


@bp.route("/meetings/")
@staff_required("see_meetings")
def meetings():
    rows = db.session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).all()
    return render_template("coreteam/admin/meetings.html", meetings=rows, now=utcnow())


def _meeting_page(meeting: Meeting | None):
    form = MeetingForm(obj=meeting)
    overview = services.team_overview()
    members = {m.id: m for m in overview.active}
    if meeting is not None:
        members.update({m.id: m for m in meeting.attendees})
    form.attendee_ids.choices = [(m.id, m.name) for m in collated(members.values(), key=lambda m: m.name)]
    officials = {u.id: u for u in accounts_queries.officials()}
    if meeting is not None:
        officials.update({u.id: u for u in meeting.officials + meeting.officials_present})
    form.official_ids.choices = [(u.id, u.name or u.email) for u in officials.values()]
    form.present_official_ids.choices = form.official_ids.choices
    if meeting is not None and not form.is_submitted():
        form.starts_at.data, form.ends_at.data = local_naive(meeting.starts_at), local_naive(meeting.ends_at)
        form.attendee_ids.data = [m.id for m in meeting.attendees]
        form.official_ids.data = [u.id for u in meeting.officials]
        form.present_official_ids.data = [u.id for u in meeting.officials_present]
    if form.validate_on_submit():
        fields = {name: getattr(form, name).data or "" for name in services.MEETING_TEXT_FIELDS}
        try:
            target = services.save_meeting(
                meeting, starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data),
                attendees=[members[i] for i in form.attendee_ids.data or [] if i in members],
                officials=[officials[i] for i in form.official_ids.data or [] if i in officials],
                officials_present=[officials[i] for i in form.present_official_ids.data or [] if i in officials],
                **fields)
        except services.CoreTeamError as error:
            form.attendee_ids.errors = [str(error.message)]
        else:
            flash(_("The meeting is saved."), "success")
            return redirect(url_for(".meeting", meeting_id=target.id))
    return render_template("coreteam/admin/meeting_form.html", form=form, meeting=meeting), 400 if form.errors else 200


@bp.route("/meetings/new", methods=["GET", "POST"])
@staff_required("manage_meetings")
def new_meeting():
    return _meeting_page(None)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@staff_required("manage_meetings")
def edit_meeting(meeting_id: int):
    return _meeting_page(db.get_or_404(Meeting, meeting_id))


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@staff_required("read_meeting_records")
def meeting(meeting_id: int):
    """The meeting's record; staff who manage meetings add department staff as guests here. An official
    reads the record of a meeting they were invited to, and no other."""
    meeting = db.get_or_404(Meeting, meeting_id)
    if not current_user.can("see_meetings") and current_user not in meeting.officials:
        abort(403)
    form = GuestForm()
    if form.is_submitted() and not current_user.can("manage_meetings"):
        abort(403)
    if form.validate_on_submit():
        services.add_meeting_guest(meeting, name=form.name.data, email=form.email.data,
                                   department=form.department.data, language=form.language.data)
        flash(_("%(name)s is on the list. Send the invitations to tell them.", name=form.name.data), "success")
        return redirect(url_for(".meeting", meeting_id=meeting.id))
    return render_template("coreteam/admin/meeting.html", meeting=meeting, now=utcnow(), guest_form=form), \
        400 if form.errors else 200


@bp.route("/meetings/<int:meeting_id>/guests/<int:guest_id>/remove", methods=["POST"])
@staff_required("manage_meetings")
def remove_guest(meeting_id: int, guest_id: int):
    """Take department staff off the list (a wrong address, or someone who will not come)."""
    guest = db.get_or_404(MeetingGuest, guest_id)
    if guest.meeting_id != meeting_id:
        abort(404)
    services.remove_meeting_guest(guest)
    return redirect(url_for(".meeting", meeting_id=meeting_id))


@bp.route("/meetings/<int:meeting_id>/invite", methods=["POST"])
@staff_required("manage_meetings")
def invite_to_meeting(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    count = services.send_meeting_invitations(meeting)
    flash(ngettext("The invitation is sent to %(num)d person.", "The invitation is sent to %(num)d people.", count),
          "success")
    return redirect(url_for(".meeting", meeting_id=meeting.id))


@bp.route("/workspace")
@staff_required("use_workspace")
def workspace():
    return render_template("coreteam/admin/workspace.html", ws=queries.workspace_context())
