"""Staff pages: a forum's feedback (results, comments, typing in paper forms) and the text of
each year's annual report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from ..planning.queries import HELD_STATUSES, forum_or_404
from ..web.access import staff_required
from . import queries, services
from ..planning.display import qr_svg
from ..web.links import external_url
from .forms import FeedbackForm, ReportTextForm, SlipsForm
from .models import Channel

bp = Blueprint("impact_admin", __name__, url_prefix="/<lang:lang>/admin")


@bp.route("/forums/<int:forum_id>/feedback", methods=["GET", "POST"])
@staff_required("enter_feedback")
def feedback(forum_id: int):
    forum = forum_or_404(forum_id)
    form = FeedbackForm()
    held = forum.status in HELD_STATUSES
    if held and form.validate_on_submit():
        try:
            services.submit(forum, form.answers(), channel=Channel.PAPER, code=form.code.data)
        except services.FeedbackError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("The paper form is saved. You can type in the next one."), "success")
            return redirect(url_for(".feedback", forum_id=forum.id))
    return render_template("impact/admin/feedback.html", forum=forum, form=form, held=held,
                           results=queries.forum_feedback(forum.id), comments=queries.forum_comments(forum.id),
                           is_open=services.is_open(forum), closes_at=services.closes_at(forum),
                           min_answers=queries.MIN_ANSWERS), 400 if form.errors or form.form_errors else 200


@bp.route("/forums/<int:forum_id>/feedback/slips", methods=["GET", "POST"])
@staff_required("print_feedback_slips")
def slips(forum_id: int):
    """One-time codes to print and hand out (walk-ins, people without a link, paper forms): a QR code and a
    short code per slip. The codes are shown once, on the page made when they are made, and kept as hashes."""
    forum = forum_or_404(forum_id)
    form = SlipsForm()
    if form.validate_on_submit():
        try:
            codes = services.make_slips(forum, form.count.data)
        except services.FeedbackError as error:
            form.count.errors = [*form.count.errors, str(error.message)]
        else:
            # In the page's language: /ar/admin/.../slips prints Arabic slips that open the Arabic form.
            slips = []
            for code in codes:
                url = external_url("impact.feedback", lang=g.lang, forum_id=forum.id, code=services.show_code(code))
                slips.append({"code": services.show_code(code), "url": url, "qr": qr_svg(url)})
            return render_template("impact/admin/slips_print.html", forum=forum, slips=slips,
                                   address=external_url("impact.feedback", lang=g.lang, forum_id=forum.id)), 200, {
                "Cache-Control": "private, no-store"}
    return render_template("impact/admin/slips.html", forum=forum, form=form,
                           most=services.most_slips(forum)), 400 if form.errors else 200


@bp.route("/impact/<int:year>", methods=["GET", "POST"])
@staff_required("manage_impact")
def report_text(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    report = services.report_text(year)
    form = ReportTextForm(data={"text": report.text if report else {}})
    if form.validate_on_submit():
        services.save_report_text(year, form.text.data)
        flash(_("The text of the annual report is saved."), "success")
        return redirect(url_for("impact.year", year=year))
    return render_template("impact/admin/report_text.html", year=year, form=form), 400 if form.errors else 200
