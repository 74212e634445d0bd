"""Staff pages for one forum's registrations: the list, what to order, CSV, a printable list, check-in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.extensions import db
from ..core.timeutil import utc_to_local
from ..planning.queries import forum_or_404
from ..web.access import staff_required
from ..web.csvexport import csv_response
from . import services
from .display import food_needs, language_label, registration_status
from .forms import WalkInForm, parse_ages
from .models import Registration

bp = Blueprint("registrations_admin", __name__, url_prefix="/<lang:lang>/admin/forums/<int:forum_id>")


@bp.route("/registrations")
@staff_required("see_registrations")
def registrations(forum_id: int):
    forum = forum_or_404(forum_id)
    filters = {"text": request.args.get("q", "").strip(), "status": request.args.get("status", ""),
               "need": request.args.get("need", "")}
    rows = services.search(forum.id, **filters, by_contact=current_user.can("see_contact_details"))
    template = "registrations/admin/print.html" if request.args.get("print") else "registrations/admin/list.html"
    return render_template(template, forum=forum, rows=rows, filters=filters)


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
    forum = forum_or_404(forum_id)
    query = request.args.get("q", "").strip()
    walk_in = WalkInForm(prefix="walkin")
    if walk_in.validate_on_submit():
        person = services.add_walk_in(forum.id, walk_in.name.data,
                                      walk_in.interpretation.data, parse_ages(walk_in.children_ages.data))
        flash(_("%(name)s is checked in.", name=person.name), "success")
        return redirect(url_for(".checkin", forum_id=forum.id))
    rows = services.search(forum.id, text=query, status="confirmed",
                           by_contact=current_user.can("see_contact_details")) if query else []
    present = len(services.search(forum.id, need="present"))
    return render_template("registrations/admin/checkin.html", forum=forum, rows=rows, query=query,
                           walk_in=walk_in, present=present), 400 if walk_in.errors else 200


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
    return redirect(url_for(".checkin", forum_id=forum_id, q=request.form.get("q", "")))


