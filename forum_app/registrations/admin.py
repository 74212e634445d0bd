"""Staff pages for one forum's registrations: the list, what to order, CSV, a printable list, check-in."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.extensions import db
from ..core.timeutil import utc_to_local
from ..planning.queries import forum_or_404
from ..web.access import staff_required
from ..web.csvexport import csv_response
from . import door, services
from .display import food_needs, language_label, registration_status
from .forms import WalkInForm, parse_ages
from .models import Registration, RegistrationStatus

bp = Blueprint("registrations_admin", __name__, url_prefix="/<lang:lang>/admin/forums/<int:forum_id>")


@bp.route("/registrations")
@staff_required("see_registrations")
def registrations(forum_id: int):
    forum = forum_or_404(forum_id)
    filters = {"text": request.args.get("q", "").strip(), "status": request.args.get("status", ""),
               "need": request.args.get("need", "")}
    rows = services.search(forum.id, **filters, by_contact=current_user.can("see_contact_details"))
    template = "registrations/admin/print.html" if request.args.get("print") else "registrations/admin/list.html"
    waiting = services.waiting_list(forum.id) if current_user.can("move_up_waiting_list") else []
    return render_template(template, forum=forum, rows=rows, filters=filters, waiting=waiting)


@bp.route("/registrations/<int:registration_id>/move-up", methods=["POST"])
@staff_required("move_up_waiting_list")
def move_up(forum_id: int, registration_id: int):
    """Move a chosen person to the top of the waiting list, with a reason for the history."""
    registration = db.get_or_404(Registration, registration_id)
    if registration.forum_id != forum_id:
        abort(404)
    try:
        promoted = services.move_up(registration.id, request.form.get("reason", ""))
    except services.RegistrationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s has a place now and is told so.", name=registration.name) if registration in promoted
              else _("%(name)s is first on the waiting list now.", name=registration.name), "success")
    return redirect(url_for(".registrations", forum_id=forum_id, _anchor="waiting-list"))


@bp.route("/registrations/cancel", methods=["POST"])
@staff_required("cancel_registrations")
def cancel_chosen(forum_id: int):
    forum = forum_or_404(forum_id)
    ids = [int(value) for value in request.form.getlist("chosen") if value.isdigit() and len(value) < 10]
    if not ids:
        flash(_("Choose the registrations to cancel first."), "error")
    else:
        count = services.cancel_batch(forum.id, ids)
        flash(ngettext("%(num)d registration is cancelled.", "%(num)d registrations are cancelled.", count), "success")
    return redirect(url_for(".registrations", forum_id=forum.id, **{k: v for k, v in request.args.items()
                                                                   if k in ("q", "status", "need")}))


@bp.route("/registrations.csv")
@bp.route("/registrations.xlsx", endpoint="registrations_xlsx")
@staff_required("export_registrations")
def registrations_csv(forum_id: int):
    forum = forum_or_404(forum_id)
    rows = [[r.id, r.name, r.email, r.phone, registration_status(r), language_label(r.spoken_language),
             language_label(r.interpretation_language), len(r.children_ages or []),
             " ".join(str(a) for a in r.children_ages or []), r.access_needs, food_needs(r),
             _("Yes") if r.wants_coreteam else "", _("Yes") if r.newsletter else "", _("Yes") if r.walk_in else "",
             utc_to_local(r.attended_at) if r.attended_at else "", utc_to_local(r.created_at)]
            for r in services.search(forum.id)]
    header = [_("Number"), _("Name"), _("Email address"), _("Phone"), _("Status"), _("Language you will speak"),
              _("Interpreter"), _("Children"), _("Ages"), _("Access needs"), _("Food: allergies or diet"),
              _("Core team"), _("Newsletter"), _("Walk-in"), _("Checked in"), _("Registered")]
    services.record_csv_export(forum.id, len(rows))  # names and contact details left the platform: audited
    return csv_response(f"registrations-forum-{forum.id}.csv", header, rows)


@bp.route("/checkin", methods=["GET", "POST"])
@staff_required("check_in")
def checkin(forum_id: int):
    """The door on a phone: a search box (code, the phone number's last digits, or a name in any script),
    and everyone expected as a list to tap, filtered by first letter. Volunteers never see a number."""
    forum = forum_or_404(forum_id)
    query = request.args.get("q", "").strip()[:100]
    letter = request.args.get("letter", "")[:1].upper()
    walk_in = WalkInForm(prefix="walkin")
    everyone = services.door_list(forum.id)
    alike = []
    if walk_in.validate_on_submit():
        # A registered person added again as a walk-in is counted twice: first show who is alike.
        alike = [] if walk_in.seen_matches.data else [m.registration for m in door.find(everyone, walk_in.name.data)]
        if not alike:
            person = services.add_walk_in(forum.id, walk_in.name.data,
                                          walk_in.interpretation.data, parse_ages(walk_in.children_ages.data))
            flash(_("%(name)s is checked in.", name=person.name), "success")
            return redirect(url_for(".checkin", forum_id=forum.id))
        walk_in.seen_matches.data = "1"
    present = sum(1 for r in everyone if r.attended_at)
    letters = sorted({door.first_letter(r) for r in everyone})
    if alike:
        rows = alike
    elif query:
        rows = [match.registration for match in door.find(everyone, query)]
        if current_user.can("see_contact_details"):  # staff who see contact details may also type them
            found = {r.id for r in rows}
            rows += [r for r in services.search(forum.id, text=query, by_contact=True)
                     if r.id not in found and r.status is not RegistrationStatus.CANCELLED]
    else:
        rows = sorted((r for r in everyone if not letter or door.first_letter(r) == letter),
                      key=lambda r: (door.first_letter(r), door.latin_words(r.name_latin or r.name), r.id))
    return render_template("registrations/admin/checkin.html", forum=forum, rows=rows, query=query, letter=letter,
                           letters=letters, walk_in=walk_in, present=present, alike=bool(alike),
                           room=services.room_at_door(forum, present)), 400 if walk_in.errors else 200


def _back_to_door(forum_id: int):  # noqa: ANN202 - a redirect
    """Back to the list the volunteer came from, the search cleared for the next person."""
    letter = request.form.get("letter", "")[:1]
    return redirect(url_for(".checkin", forum_id=forum_id, **({"letter": letter} if letter else {})))


@bp.route("/checkin/<int:registration_id>", methods=["POST"])
@staff_required("check_in")
def mark_present(forum_id: int, registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    if registration.forum_id != forum_id:
        return redirect(url_for(".checkin", forum_id=forum_id))
    present = request.form.get("present", "1") == "1"
    services.check_in(registration.id, present)
    if present:
        flash(_("%(name)s is checked in.", name=registration.name), "success")
    return _back_to_door(forum_id)


@bp.route("/checkin/<int:registration_id>/let-in", methods=["POST"])
@staff_required("check_in")
def let_in(forum_id: int, registration_id: int):
    """A person from the waiting list, let in because there is room."""
    registration = db.get_or_404(Registration, registration_id)
    if registration.forum_id != forum_id:
        return redirect(url_for(".checkin", forum_id=forum_id))
    try:
        services.let_in(registration.id)
    except services.RegistrationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s is let in and checked in.", name=registration.name), "success")
    return _back_to_door(forum_id)
