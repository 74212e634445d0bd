"""Emails about recommendations: to followers when the status changes, to officials when silent."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..core import signed_links
from ..core.extensions import db
from ..i18n.content import localize
from ..i18n.formatting import format_date
from ..mail import compose, outbox
from ..planning.queries import topic_title
from ..web.links import external_url
from .display import status_label
from .models import Follower, Recommendation, StatusChange


def unsubscribe_headers(url: str) -> dict:
    """RFC 8058: mail programs show an unsubscribe button that works with one click, no login."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def send_follow_confirmation(follower: Follower, token: str) -> None:
    lang = follower.language
    with force_locale(lang):
        what = (localize(db.session.get(Recommendation, follower.recommendation_id).title, lang).text
                if follower.recommendation_id else localize(topic_title(follower.topic_id), lang).text)
        subject = _("Confirm that you want to follow: %(what)s", what=what)
        paragraphs = [_("Someone, we hope you, asked for an email each time this changes: %(what)s.", what=what),
                      _("Nothing is sent until you confirm. If it was not you, ignore this email.")]
        link = (external_url("recommendations.confirm_follow", lang=lang, token=token), _("Yes, follow it"))
    outbox.send(compose.build_message(to=follower.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link}))


def notify_followers(recommendation: Recommendation, change: StatusChange) -> int:
    followers = db.session.scalars(select(Follower).where(
        Follower.confirmed_at.is_not(None),
        or_(Follower.recommendation_id == recommendation.id, Follower.topic_id == recommendation.topic_id))).all()
    for follower in followers:
        outbox.send(_status_message(follower, recommendation, change))
    return len(followers)


def _status_message(follower: Follower, recommendation: Recommendation, change: StatusChange):  # noqa: ANN202
    lang = follower.language
    unsubscribe = external_url("recommendations.unfollow", lang=lang,
                               token=signed_links.for_row("unfollow", follower))
    with force_locale(lang):
        title = localize(recommendation.title, lang).text
        subject = _("New status: %(title)s", title=title)
        paragraphs = [_("The recommendation \u201c%(title)s\u201d has a new status: %(status)s.", title=title,
                        status=status_label(change.to_status))]
        if change.note:
            paragraphs.append(change.note)
        paragraphs.append(_("To stop these emails: %(url)s", url=unsubscribe))
        link = (external_url("recommendations.detail", lang=lang, recommendation_id=recommendation.id),
                _("See the whole history"))
    return compose.build_message(to=follower.email, subject=subject, template="email/message", lang=lang,
                              context={"title": subject, "paragraphs": paragraphs, "link": link},
                              headers=unsubscribe_headers(unsubscribe))


def send_silence_reminder(recommendation: Recommendation, *, overdue: bool = False) -> None:
    """No progress update for a long time, or (``overdue``) the planned completion date has passed."""
    official = recommendation.responsible_official
    if official is None:
        return
    lang = official.language
    with force_locale(lang):
        title = localize(recommendation.title, lang).text
        if overdue:
            subject = _("The planned date has passed: %(title)s", title=title)
            paragraphs = [_("You are responsible for the measure \u201c%(title)s\u201d. It was planned to be done by "
                            "%(date)s, and the public tracker now shows it as overdue. Please post a progress update, "
                            "or ask the coordinator to set a new date.", title=title,
                            date=format_date(recommendation.due_on, "long", lang))]
        else:
            subject = _("No news for a while: %(title)s", title=title)
            paragraphs = [_("You are responsible for the measure \u201c%(title)s\u201d. It has had no progress update "
                            "for a long time. Residents follow it on the public tracker: please tell them how it is "
                            "going.", title=title)]
        link = (external_url("recommendations_admin.detail", lang=lang, recommendation_id=recommendation.id),
                _("Post a progress update"))
    outbox.send(compose.build_message(to=official.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link}))
