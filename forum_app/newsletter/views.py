"""The public newsletter: subscribe, confirm, unsubscribe in one click, the archive and its Atom feed."""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core import throttle
from ..core.extensions import db
from ..i18n.content import language_display_name, localize
from ..web.http_cache import public_page
from ..web.link_pages import one_button_confirm, one_click_stop
from ..web.links import external_url, int_arg
from ..web.seo import publisher_email, publisher_name
from . import services
from .forms import SubscribeForm
from .models import Issue, IssueStatus

bp = Blueprint("newsletter", __name__, url_prefix="/<lang:lang>/newsletter")


FEED_ENTRIES = 20  # the latest issues in the feed; a reader has the older ones already
ARCHIVE_PAGE = 12  # issues on a page of the archive: three or four years


def _archive() -> dict:
    """One page (``?page=``) of the sent issues, the latest first, with the page's number and how many."""
    sent = select(Issue).where(Issue.status == IssueStatus.SENT)
    total = db.session.scalar(select(func.count()).select_from(sent.subquery()))
    pages = max(-(-total // ARCHIVE_PAGE), 1)
    page = int_arg("page", 1, high=100_000)
    if page > pages:
        abort(404)
    issues = list(db.session.scalars(sent.order_by(Issue.sent_at.desc(), Issue.id.desc())
                                     .limit(ARCHIVE_PAGE).offset((page - 1) * ARCHIVE_PAGE)))
    return {"issues": issues, "page": page, "pages": pages}


@bp.route("/", methods=["GET", "POST"])
@public_page
def index():
    form = SubscribeForm()
    if not form.is_submitted():
        form.language.data = g.lang
    if form.validate_on_submit():
        try:
            throttle.check("subscribe", form.email.data)
        except throttle.TooMany as error:
            form.form_errors.append(str(error.message))
            return render_template("newsletter/index.html", form=form, **_archive()), 429
        services.subscribe(form.email.data, form.language.data)
        flash(_("Check your email and confirm. Nothing is sent before you do."), "success")
        return redirect(url_for(".index"))
    return render_template("newsletter/index.html", form=form, **_archive()), 400 if form.errors else 200


@bp.route("/<int:issue_id>")
@public_page
def issue(issue_id: int):
    found = db.session.get(Issue, issue_id)
    if found is None or found.status is not IssueStatus.SENT:
        abort(404)
    return render_template("newsletter/issue.html", issue=found)


def _entry_title(issue: Issue, lang: str) -> str:
    """The issue's title in ``lang``; one not yet translated says in which language it is shown, as the
    issue's page does (a feed reader shows the title alone)."""
    title = localize(issue.title, lang)
    if not title.is_fallback:
        return title.text
    # Translators: an Atom feed entry whose title is not yet translated, e.g. "Nästa nyhetsbrev (in Swedish)".
    return _("%(title)s (in %(language)s)", title=title.text, language=language_display_name(title.lang, lang))


@bp.route("/feed.atom")
@public_page
def feed():
    lang = g.lang
    # RFC 4287 asks for an author on every entry: the unit that writes the newsletter.
    author = {"name": publisher_name(), "email": publisher_email(), "uri": external_url("site.home", lang=lang)}
    generator = FeedGenerator()
    generator.id(external_url("newsletter.index", lang=lang))
    generator.title(_("Migrant forum newsletter"))
    generator.author(author)
    generator.link(href=external_url("newsletter.feed", lang=lang), rel="self")
    generator.link(href=external_url("newsletter.index", lang=lang), rel="alternate")
    generator.language(lang)
    # Each entry carries the whole issue, so the feed has the latest ones only.
    issues = list(db.session.scalars(select(Issue).where(Issue.status == IssueStatus.SENT)
                                     .order_by(Issue.sent_at.desc()).limit(FEED_ENTRIES)))
    if issues:
        generator.updated(issues[0].sent_at)
    for item in reversed(issues):
        entry = generator.add_entry()
        url = external_url("newsletter.issue", lang=lang, issue_id=item.id)
        entry.id(url)
        entry.link(href=url)
        entry.title(_entry_title(item, lang))
        entry.author(author)
        entry.updated(item.sent_at)
        entry.published(item.sent_at)
        entry.content(render_template("newsletter/_body.html", issue=item), type="html")
    return Response(generator.atom_str(pretty=True), mimetype="application/atom+xml")


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    def done():  # noqa: ANN202
        flash(_("Thank you! You will get the next newsletter."), "success")
        return redirect(url_for(".index"))

    return one_button_confirm(token, services.confirmable, services.confirm, "newsletter/confirm.html", done)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    return one_click_stop(token, services.unsubscribe, "newsletter/unsubscribe.html", "newsletter/unsubscribed.html")
