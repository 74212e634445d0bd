"""Public pages of impact and results: feedback after a forum, its thank-you sheet, the year's
indicators, the annual report (HTML and PDF) and the figures as CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.timeutil import city_today
from ..i18n import LANGUAGES
from ..i18n.content import localize
from ..planning.display import qr_svg
from ..planning.queries import HELD_STATUSES, forum_or_404
from ..web.csvexport import csv_response
from ..web.http_cache import public_page
from ..web.links import external_url
from . import queries, services
from .forms import FeedbackForm
from .models import Channel
from .report import PdfUnavailable, cached_pdf

if TYPE_CHECKING:
    from ..planning.models import Forum

bp = Blueprint("impact", __name__, url_prefix="/<lang:lang>")


def held_forum_or_404(forum_id: int) -> Forum:
    forum = forum_or_404(forum_id)
    if forum.status not in HELD_STATUSES:
        abort(404)
    return forum


@bp.route("/forums/<int:forum_id>/feedback", methods=["GET", "POST"])
def feedback(forum_id: int):
    """The anonymous questionnaire. An answer counts only with a one-time credential: the personal link
    (``?key=``: one answer per link) or a code from a slip printed for the forum (``?code=`` from its QR code,
    or typed in). Without one it is refused, and the form keeps what was typed."""
    forum = held_forum_or_404(forum_id)
    key = services.key_from_link(forum.id, request.args.get("key", ""))
    answered = services.has_answered(forum.id, key) if key else False
    is_open = services.is_open(forum)
    form = FeedbackForm()
    if not form.is_submitted() and request.args.get("code"):
        form.code.data = request.args.get("code", "")[:40]
    context = {"forum": forum, "form": form, "key": request.args.get("key", "") if key else "",
               "answered": answered, "is_open": is_open, "closes_at": services.closes_at(forum)}
    if answered or not is_open:
        return render_template("impact/feedback.html", **context)
    if form.validate_on_submit():
        try:
            services.submit(forum, form.answers(), channel=Channel.EMAIL if key else Channel.VENUE, key=key,
                            code=None if key else form.code.data)
        except services.FeedbackError as error:
            form.form_errors.append(str(error.message))
            return render_template("impact/feedback.html", **context), 400
        flash(_("Thank you! Your answer has been saved. Nobody can see who gave it."), "success")
        return redirect(url_for(".feedback", forum_id=forum.id, key=context["key"] or None))
    return render_template("impact/feedback.html", **context), 400 if form.errors else 200


@bp.route("/forums/<int:forum_id>/feedback/sheet")
@public_page
def thank_you_sheet(forum_id: int):
    """A printable A4 sheet for the venue: thank you, and a QR code to the questionnaire, in the
    forum's poster languages (as the invitation poster)."""
    forum = held_forum_or_404(forum_id)
    languages = [code for code in (forum.poster_languages or []) if code in LANGUAGES]
    languages = (languages or list(dict.fromkeys([g.lang, "sv"])))[:2]
    panels = []
    for code in languages:
        url = external_url(".feedback", lang=code, forum_id=forum.id)
        with force_locale(code):
            panels.append({
                "lang": code, "dir": LANGUAGES[code].direction, "url": url, "qr": qr_svg(url),
                "hook": localize(forum.hook, code), "title": _("Thank you for coming!"),
                # An answer counts with a personal link or a slip's code (services.submit): the sheet says so.
                "ask": _("Tell us what it was like. A few short questions, anonymous, in your language: scan the "
                         "code and type the code from your slip, or use the link in our email or text message."),
                "scan": _("Scan the code with your phone camera:"),
            })
    return render_template("impact/sheet.html", forum=forum, panels=panels)


# --- indicators -----------------------------------------------------------------------------

def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        abort(404)
    return year


@bp.route("/impact/")
def index():
    return redirect(url_for(".year", year=city_today().year))


@bp.route("/impact/<int:year>")
@public_page
def year(year: int):
    _year_or_404(year)
    report = services.report_text(year)
    return render_template("impact/year.html", year=year, indicators=queries.indicators(year),
                           report=report, min_answers=queries.MIN_ANSWERS)


def _report_context(year: int) -> dict:
    return {"year": year, "indicators": queries.indicators(year), "report": services.report_text(year),
            **queries.report_data(year)}


@bp.route("/impact/<int:year>/report")
@public_page
def report(year: int):
    _year_or_404(year)
    return render_template("impact/report.html", pdf=False, **_report_context(year))


@bp.route("/impact/<int:year>/report.pdf")
@public_page
def report_pdf(year: int):
    _year_or_404(year)
    html = render_template("impact/report.html", pdf=True, **_report_context(year))
    try:
        pdf = cached_pdf(html, f"report-{year}-{g.lang}")
    except PdfUnavailable:
        return render_template("impact/pdf_unavailable.html", year=year), 503, {"Retry-After": "3600"}
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="migrant-forum-{year}-{g.lang}.pdf"'})


@bp.route("/impact/<int:year>.csv")
@bp.route("/impact/<int:year>.xlsx", endpoint="year_xlsx")
@public_page
def year_csv(year: int):
    _year_or_404(year)
    data = queries.indicators(year)
    rows = [[f.key, str(f.label), f.value, f.previous, f.unit, str(f.definition), str(f.source_text)]
            for f in data.figures]
    for breakdown in data.breakdowns:
        rows += [[f"{breakdown.key}:{r.key}", _("%(label)s: %(value)s", label=breakdown.label, value=r.label), r.value, r.previous,
                  breakdown.unit, str(breakdown.definition), ""] for r in breakdown.rows]
    return csv_response(f"impact-{year}.csv", [
        _("Key"), _("Figure"), str(year), str(year - 1), _("Unit"), _("Definition"), _("Source")], rows)


# --- the short link a feedback SMS carries --------------------------------------------------------------

short = Blueprint("impact_short", __name__, url_prefix="/r/f")


@short.route("/<code>", endpoint="feedback")
def short_feedback(code: str):
    """``/r/f/<code>``: the questionnaire with the participant's own one-time key, in the language they
    registered in, as the thank-you email's link opens it. Private: nothing kept by a browser or a proxy."""
    found = services.feedback_link_of_short_code(code)
    if found is None:
        abort(404)
    registration, token = found
    return redirect(url_for("impact.feedback", lang=registration.language, forum_id=registration.forum_id,
                            key=token), 303), {"Referrer-Policy": "no-referrer"}
