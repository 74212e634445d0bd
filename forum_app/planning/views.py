"""Public pages of the plan: the year's mandate and topics, forums, invitations, calendar, poster."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..core import throttle
from ..core.models_base import utcnow
from ..core.timeutil import city_today, year_arg
from ..i18n import LANGUAGES
from ..i18n.content import localize
from ..web import panels as registry
from ..web.http_cache import public_page
from ..web.links import external_url, int_arg
from . import queries, services
from .calendar import forum_calendar, forums_calendar
from .display import forum_when, programme_lines, qr_svg
from .forms import ProposalForm
from .models import Forum, ProposerKind
from .queries import public_forum_or_404
from .structured_data import forum_event

bp = Blueprint("planning", __name__, url_prefix="/<lang:lang>")


@bp.route("/topics/")
@public_page
def topics():
    year = year_arg(request.args)
    mandate, year_topics, years = queries.year_topics(year)
    return render_template("planning/topics.html", year=year, mandate=mandate, topics=year_topics, years=years,
                           proposed_by={t.id: queries.proposed_by(t) for t in year_topics},
                           call=queries.open_call(city_today()))


@bp.route("/topics/propose", methods=["GET", "POST"])
def propose():
    """The year's call for questions: anyone proposes what they find most pressing, without an account.
    Not a cached public page: the form carries a CSRF token in the session."""
    call = queries.open_call(city_today())
    form = ProposalForm()
    if call is None and form.is_submitted():
        # The call closed while the page was open: say so, and show what was typed so it is not lost.
        form.form_errors.append(str(services.CallClosed().message))
    elif form.validate_on_submit():
        try:
            throttle.check("propose")
        except throttle.TooMany as error:
            form.form_errors.append(str(error.message))
            return render_template("planning/propose.html", call=call, form=form), 429
        try:
            services.propose(call, question=form.question.data, kind=ProposerKind(form.kind.data),
                             proposer=form.proposer.data, language=g.lang)
        except services.PlanningError as error:
            form.form_errors.append(str(error.message))
        else:
            flash(_("Thank you! Your question is sent. The integration office reads every proposal before the "
                    "year's topics are chosen."), "success")
            return redirect(url_for(".propose"))
    return render_template("planning/propose.html", call=call, form=form), \
        400 if (form.errors or form.form_errors) else 200


@bp.route("/forums/")
@public_page
def forums():
    """The coming forums and this year's; ``?year=2024`` the forums of an earlier year."""
    forums = queries.forum_list(int_arg("year", low=2000, high=2100))
    return render_template("planning/forums.html", forums=forums,
                           counts=queries.public_places(forums.coming + forums.earlier), now=utcnow())


@bp.route("/forums/<int:forum_id>")
@public_page
def forum(forum_id: int):
    forum = public_forum_or_404(forum_id)
    return render_template("planning/forum.html", forum=forum, counts=queries.public_places_in(forum),
                           panels=registry.panels("forum_public", forum), now=utcnow(),
                           structured_data=forum_event(forum, g.lang))


@bp.route("/forums.ics")
@public_page
def forums_ics():
    """The coming forums as a calendar to subscribe to: a calendar program fetches it again now and then."""
    return Response(forums_calendar(queries.calendar_forums(), g.lang), mimetype="text/calendar",
                    headers={"Content-Disposition": f'inline; filename="forums-{g.lang}.ics"'})


@bp.route("/forums/<int:forum_id>.ics")
@public_page
def forum_ics(forum_id: int):
    forum = public_forum_or_404(forum_id)
    return Response(forum_calendar(forum, g.lang), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="forum-{forum.id}.ics"'})


@bp.route("/forums/<int:forum_id>/poster")
@public_page
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

    url = external_url("planning.forum", lang=code, forum_id=forum.id)
    with force_locale(code):
        return {
            "lang": code, "dir": LANGUAGES[code].direction, "url": url, "qr": qr_svg(url),
            "hook": localize(forum.hook, code), "topic": localize(forum.topic.title, code),
            "when": forum_when(forum),
            "offer": _("Free entry. Food, childcare and interpreters."),
            "scan": _("Scan the code to read the invitation and register:"),
            "title": _("Migrant forum"),
            "programme_heading": _("Side programme"), "programme": programme_lines(forum, code),
        }
