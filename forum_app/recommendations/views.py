"""The public tracker: what became of every recommendation, with filters, history and downloads."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core import throttle
from ..core.extensions import db, talisman
from ..i18n.content import localize
from ..planning.queries import topic_or_404
from ..web.csvexport import csv_response
from ..web.http_cache import public_page
from ..web.link_pages import one_button_confirm, one_click_stop
from ..web.links import int_arg
from . import files, queries, services
from .display import PUBLIC_STATUSES, public_history, status_label
from .forms import FollowForm
from .models import Attachment, ForumResult, HandOn, Presentation, Recommendation
from .serialize import recommendation_json

bp = Blueprint("recommendations", __name__, url_prefix="/<lang:lang>/recommendations")
results = Blueprint("results", __name__, url_prefix="/<lang:lang>/forums")


@results.route("/<int:forum_id>/files/<int:attachment_id>")
@talisman(content_security_policy=files.FILE_POLICY)
def public_file(forum_id: int, attachment_id: int):
    """A file of a published forum result; anything else is a plain 404."""
    attachment = db.session.get(Attachment, attachment_id)
    result = db.session.get(ForumResult, attachment.result_id) if attachment else None
    if result is None or result.forum_id != forum_id or not result.published:
        abort(404)
    return files.serve_attachment(attachment)


@bp.route("/hand-on/<int:hand_on_id>/letter")
@talisman(content_security_policy=files.FILE_POLICY)
def hand_on_letter(hand_on_id: int):
    """The city's letter passing on a public recommendation; anything else is a plain 404."""
    item = db.session.get(HandOn, hand_on_id)
    if item is None or not item.recommendation.is_public:
        abort(404)
    return files.serve_attachment(item)


@bp.route("/presentations/<int:presentation_id>/material")
@talisman(content_security_policy=files.FILE_POLICY)
def presentation_material(presentation_id: int):
    """The material of a presentation that included a public recommendation."""
    item = db.session.get(Presentation, presentation_id)
    if item is None or not any(r.is_public for r in item.recommendations):
        abort(404)
    return files.serve_attachment(item)


@bp.route("/")
@public_page
def index():
    """The tracker, 20 recommendations a page (``?page=``), the latest year first; the filters and the
    summary line cover every page."""
    query = queries.public_query(request.args)
    counts = queries.public_counts(query)
    total = sum(counts.values())
    pages = max(-(-total // queries.PER_PAGE), 1)
    page = int_arg("page", 1, high=100_000)
    if page > pages:
        abort(404)
    rows = db.session.scalars(query.options(*queries.CARD_OPTIONS).limit(queries.PER_PAGE)
                              .offset((page - 1) * queries.PER_PAGE)).all()
    # Only the filters' own names go back into links (url_for reads names such as _external itself).
    filters = {name: request.args[name] for name in queries.FILTERS if request.args.get(name)}
    return render_template(
        "recommendations/index.html", recommendations=rows, counts=counts, total=total, page=page, pages=pages,
        filters=filters, statuses=PUBLIC_STATUSES, **queries.filter_choices())


def _public_or_404(recommendation_id: int) -> Recommendation:
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None or not recommendation.is_public:
        abort(404)
    return recommendation


@bp.route("/<int:recommendation_id>", methods=["GET", "POST"])
@public_page
def detail(recommendation_id: int):
    recommendation = _public_or_404(recommendation_id)
    form = FollowForm()
    if form.validate_on_submit():
        try:
            throttle.check("follow", form.email.data)
        except throttle.TooMany as error:
            form.form_errors.append(str(error.message))
            return render_template("recommendations/detail.html", recommendation=recommendation, form=form,
                                   timeline=public_history(recommendation)), 429
        services.follow(form.email.data, g.lang, recommendation_id=recommendation.id)
        flash(_("Check your email and confirm. Nothing is sent before you do."), "success")
        return redirect(url_for(".detail", recommendation_id=recommendation.id))
    return render_template("recommendations/detail.html", recommendation=recommendation, form=form,
                           timeline=public_history(recommendation)), 400 if form.errors else 200


@bp.route("/topic/<int:topic_id>/follow", methods=["POST"])
def follow_topic(topic_id: int):
    topic_or_404(topic_id)
    form = FollowForm()
    if form.validate_on_submit():
        try:
            throttle.check("follow", form.email.data)
        except throttle.TooMany as error:
            flash(str(error.message), "error")
            return redirect(url_for(".index", topic=topic_id))
        services.follow(form.email.data, g.lang, topic_id=topic_id)
        flash(_("Check your email and confirm. Nothing is sent before you do."), "success")
    else:
        flash(_("Enter an email address like name@example.org."), "error")
    return redirect(url_for(".index", topic=topic_id))


@bp.route("/follow/<token>", methods=["GET", "POST"])
def confirm_follow(token: str):
    def done():  # noqa: ANN202
        flash(_("Confirmed. You will get an email when the status changes."), "success")
        return redirect(url_for(".index"))

    return one_button_confirm(token, services.follow_confirmable, services.confirm_follow,
                              "recommendations/confirm_follow.html", done)


@bp.route("/unfollow/<token>", methods=["GET", "POST"])
def unfollow(token: str):
    return one_click_stop(token, services.unfollow, "recommendations/unfollow.html",
                          "recommendations/unfollowed.html")


@bp.route("/export.csv")
@bp.route("/export.xlsx", endpoint="export_xlsx")
@public_page
def export_csv():
    rows = db.session.scalars(queries.public_query(request.args)).all()
    return csv_response("recommendations.csv", [
        _("Number"), _("Year"), _("Topic"), _("Recommendation"), _("Status"), _("Addressed to"),
        _("Within the city's competence"), _("Changed")],
        [[r.id, r.topic.year, localize(r.topic.title).text, localize(r.title).text, status_label(r.status),
          "; ".join(localize(d.name).text for d in r.departments), _("Yes") if r.within_competence else _("No"),
          r.updated_at.date()] for r in rows])


@bp.route("/export.json")
@public_page
def export_json():
    rows = db.session.scalars(queries.public_query(request.args)).all()
    response = jsonify(items=[recommendation_json(r) for r in rows], total=len(rows))
    response.headers["Content-Disposition"] = 'attachment; filename="recommendations.json"'
    return response
