"""Public pages of the plan: the year's mandate and topics, forums, invitations, calendar, poster."""

from __future__ import annotations

import segno
from flask import Blueprint, Response, abort, g, render_template, request
from markupsafe import Markup
from sqlalchemy import select

from ..extensions import db
from ..i18n import LANGUAGES
from ..links import external_url
from ..models_base import utcnow
from ..registrations.counts import counts_for
from ..timeutil import year_arg
from .models import Forum, ForumStatus, Mandate, Topic

bp = Blueprint("planning", __name__, url_prefix="/<lang:lang>")

PUBLIC_STATUSES = (ForumStatus.PUBLISHED, ForumStatus.CANCELLED, ForumStatus.HELD, ForumStatus.DOCUMENTED)


def public_forum_or_404(forum_id: int) -> Forum:
    forum = db.session.get(Forum, forum_id)
    if forum is None or forum.status not in PUBLIC_STATUSES:
        abort(404)
    return forum




@bp.route("/topics/")
def topics():
    year = year_arg(request.args)
    mandate = db.session.scalar(select(Mandate).where(Mandate.year == year))
    year_topics = db.session.scalars(select(Topic).where(Topic.year == year).order_by(Topic.id)).all()
    years = db.session.scalars(select(Topic.year).distinct().order_by(Topic.year)).all()
    return render_template("planning/topics.html", year=year, mandate=mandate, topics=year_topics, years=years)


def upcoming_and_past(limit: int | None = None) -> tuple[list[Forum], list[Forum]]:
    now = utcnow()
    query = select(Forum).where(Forum.status.in_(PUBLIC_STATUSES))
    upcoming = db.session.scalars(query.where(Forum.ends_at >= now).order_by(Forum.starts_at).limit(limit)).all()
    past = db.session.scalars(query.where(Forum.ends_at < now).order_by(Forum.starts_at.desc()).limit(limit)).all()
    return list(upcoming), list(past)


@bp.route("/forums/")
def forums():
    upcoming, past = upcoming_and_past()
    return render_template("planning/forums.html", upcoming=upcoming, past=past,
                           counts=counts_for(upcoming + past), now=utcnow())


@bp.route("/forums/<int:forum_id>")
def forum(forum_id: int):
    forum = public_forum_or_404(forum_id)
    return render_template("planning/forum.html", forum=forum, counts=counts_for([forum])[forum.id],
                           now=utcnow())


@bp.route("/forums/<int:forum_id>.ics")
def forum_ics(forum_id: int):
    from .calendar import forum_calendar

    forum = public_forum_or_404(forum_id)
    return Response(forum_calendar(forum, g.lang), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="forum-{forum.id}.ics"'})


def qr_svg(url: str) -> Markup:
    # Generated here, never by an outside service; SVG stays sharp on paper.
    return Markup(segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=True))


@bp.route("/forums/<int:forum_id>/poster")
def poster(forum_id: int):
    """A printable A4 poster with the hook in the two languages staff chose and a QR code for each."""
    forum = public_forum_or_404(forum_id)
    # Staff choose two languages; until they do, the reader's language and Swedish.
    languages = [code for code in (forum.poster_languages or []) if code in LANGUAGES]
    languages = languages or list(dict.fromkeys([g.lang, "sv"]))
    panels = [poster_panel(forum, code) for code in languages[:2]]
    return render_template("planning/poster.html", forum=forum, panels=panels)


def poster_panel(forum: Forum, code: str) -> dict:
    """The poster's text in one language, whatever the page's language."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from ..i18n.content import localize
    from .display import forum_when

    url = external_url("planning.forum", lang=code, forum_id=forum.id)
    with force_locale(code):
        return {
            "lang": code, "dir": LANGUAGES[code].direction, "url": url, "qr": qr_svg(url),
            "hook": localize(forum.hook, code), "topic": localize(forum.topic.title, code),
            "when": forum_when(forum),
            "offer": _("Free entry. Food, childcare and interpreters."),
            "scan": _("Scan the code to read the invitation and register:"),
            "title": _("Migrant forum"),
        }
