"""Emails about recommendations: to followers when the status changes, to officials when silent. Each is
queued with the change and written by the sender when it goes (``mail.outbox.recipes``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ..core import signed_links
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today, local_to_utc
from ..i18n.content import localize
from ..i18n.formatting import format_date
from ..mail import compose
from ..mail.outbox import recipes
from ..planning.queries import topic_title
from ..web.links import external_url
from .display import status_label
from .models import Follower, ProgressUpdate, Recommendation, StatusChange


def unsubscribe_headers(url: str) -> dict:
    """The follower's emails are list mail (``compose.list_headers``): a List-Id to filter by, and an
    unsubscribe button that works with one click, no login (RFC 8058)."""
    return compose.list_headers("recommendation-updates", url)


FOLLOW_CONFIRMATION, STATUS_CHANGED, SILENCE = ("recommendations.follow_confirmation",
                                                "recommendations.status_changed", "recommendations.silence")


def _followed(follower: Follower, lang: str) -> str:
    return (localize(db.session.get(Recommendation, follower.recommendation_id).title, lang).text
            if follower.recommendation_id else localize(topic_title(follower.topic_id), lang).text)


def _follow_subject(follower: Follower) -> str:
    with force_locale(follower.language):
        return _("Confirm that you want to follow: %(what)s", what=_followed(follower, follower.language))


def send_follow_confirmation(follower: Follower) -> None:
    recipes.queue(follower.email, _follow_subject(follower), FOLLOW_CONFIRMATION, follower=follower.id)


@recipes.writer(FOLLOW_CONFIRMATION)
def write_follow_confirmation(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    follower = db.session.get(Follower, recipe["follower"])
    if follower is None or follower.confirmed_at is not None:
        return None
    lang = follower.language
    token = signed_links.for_row("follow-confirm", follower)
    subject = _follow_subject(follower)
    with force_locale(lang):
        what = _followed(follower, lang)
        paragraphs = [_("Someone, we hope you, asked for an email each time this changes: %(what)s.", what=what),
                      _("Nothing is sent until you confirm. If it was not you, ignore this email.")]
        link = (external_url("recommendations.confirm_follow", lang=lang, token=token), _("Yes, follow it"))
    return compose.build_message(to=follower.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link})


def notify_followers(recommendation: Recommendation, change: StatusChange) -> int:
    followers = db.session.scalars(select(Follower).where(
        Follower.confirmed_at.is_not(None),
        or_(Follower.recommendation_id == recommendation.id, Follower.topic_id == recommendation.topic_id))).all()
    if followers and change.id is None:
        db.session.flush()  # the message is written from the change, by its id
    for follower in followers:
        with force_locale(follower.language):
            subject = _("New status: %(title)s", title=localize(recommendation.title, follower.language).text)
        recipes.queue(follower.email, subject, STATUS_CHANGED, follower=follower.id, change=change.id)
    return len(followers)


@recipes.writer(STATUS_CHANGED)
def write_status_change(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """Nothing for a follower who stopped following meanwhile."""
    follower = db.session.get(Follower, recipe["follower"])
    change = db.session.get(StatusChange, recipe["change"])
    if follower is None or change is None:
        return None
    return _status_message(follower, db.session.get(Recommendation, change.recommendation_id), change)


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
    if official is None or not official.email:
        return
    with force_locale(official.language):
        title = localize(recommendation.title, official.language).text
        subject = (_("The planned date has passed: %(title)s", title=title) if overdue
                   else _("No news for a while: %(title)s", title=title))
    recipes.queue(official.email, subject, SILENCE, recommendation=recommendation.id, official=official.id,
                  overdue=overdue)


def _still_responsible(recipe: dict):  # noqa: ANN202 - (Recommendation | None, User | None)
    """The measure of a recipe and its official, if the recipe's official is still the one responsible and
    has an address; else (…, None): the message is no longer theirs to get."""
    recommendation = db.session.get(Recommendation, recipe["recommendation"])
    official = recommendation.responsible_official if recommendation else None
    if official is None or official.id != recipe["official"] or not official.email:
        return recommendation, None
    return recommendation, official


@recipes.writer(SILENCE)
def write_silence_reminder(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """Nothing if the measure has another official by now."""
    recommendation, official = _still_responsible(recipe)
    if official is None:
        return None
    overdue = recipe["overdue"]
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
    return compose.build_message(to=official.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link})


# --- the official made responsible --------------------------------------------------------------

ASSIGNED = "recommendations.assigned"


def send_assignment(recommendation: Recommendation) -> None:
    """The official made responsible for a measure is told at once, with the way to the measure (before,
    the first email they got was the reminder after 90 days of silence)."""
    official = recommendation.responsible_official
    if official is None or not official.email:
        return
    with force_locale(official.language):
        subject = _("You are now responsible for a measure: %(title)s",
                    title=localize(recommendation.title, official.language).text)
    recipes.queue(official.email, subject, ASSIGNED, recommendation=recommendation.id, official=official.id)


@recipes.writer(ASSIGNED)
def write_assignment(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """Nothing if the measure has another official by the time it goes."""
    recommendation, official = _still_responsible(recipe)
    if official is None:
        return None
    lang = official.language
    with force_locale(lang):
        title = localize(recommendation.title, lang).text
        subject = _("You are now responsible for a measure: %(title)s", title=title)
        paragraphs = [_("You have been made responsible for the measure \u201c%(title)s\u201d. Residents follow it "
                        "on the public tracker: please post a progress update when something happens, at least "
                        "every three months.", title=title)]
        if recommendation.due_on:
            paragraphs.append(_("It was planned to be done by %(date)s.", date=format_date(recommendation.due_on,
                                                                                            "long", lang)))
        link = (external_url("recommendations_admin.detail", lang=lang, recommendation_id=recommendation.id),
                _("Open the measure"))
    return compose.build_message(to=official.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link})


# --- progress, gathered per follower and day ----------------------------------------------------

PROGRESS = "recommendations.progress"
DIGEST_HOUR = 18  # the city's time: the day's progress goes out together in the evening


def _followers_of(recommendation: Recommendation) -> list[Follower]:
    return list(db.session.scalars(select(Follower).where(
        Follower.confirmed_at.is_not(None),
        or_(Follower.recommendation_id == recommendation.id, Follower.topic_id == recommendation.topic_id))))


def notify_progress(recommendation: Recommendation) -> int:
    """Every follower hears of a progress update, in the language they followed in; several on one day
    (on what one person follows) go as one email in the evening. Returns how many followers will hear."""
    today = city_today()
    due = local_to_utc(datetime.combine(today, time(DIGEST_HOUR)))
    due = due if due > utcnow() else utcnow()
    followers = _followers_of(recommendation)
    for follower in followers:
        if any(recipe.get("follower") == follower.id and recipe.get("day") == today.isoformat()
               for recipe in recipes.waiting(follower.email, PROGRESS)):
            continue  # that evening's email gathers this one too
        with force_locale(follower.language):
            subject = ngettext("New progress on %(num)d recommendation you follow",
                               "New progress on %(num)d recommendations you follow", 1)
        recipes.queue(follower.email, subject, PROGRESS, due_at=due, follower=follower.id, day=today.isoformat())
    return len(followers)


@recipes.writer(PROGRESS)
def write_progress(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """Every update of the day on what the follower follows, each in their language or marked as shown in
    another; nothing if they stopped following meanwhile."""
    follower = db.session.get(Follower, recipe["follower"])
    if follower is None:
        return None
    day = date.fromisoformat(recipe["day"])
    start = local_to_utc(datetime.combine(day, time.min))
    followed = (Recommendation.id == follower.recommendation_id if follower.recommendation_id
                else Recommendation.topic_id == follower.topic_id)
    updates = db.session.execute(select(ProgressUpdate, Recommendation).join(Recommendation).where(
        followed, ProgressUpdate.created_at >= start, ProgressUpdate.created_at < start + timedelta(days=1))
        .order_by(ProgressUpdate.created_at)).all()
    if not updates:
        return None
    lang = follower.language
    unsubscribe = external_url("recommendations.unfollow", lang=lang, token=signed_links.for_row("unfollow", follower))
    with force_locale(lang):
        subject = ngettext("New progress on %(num)d recommendation you follow",
                           "New progress on %(num)d recommendations you follow",
                           len({recommendation.id for _update, recommendation in updates}))
        paragraphs = []
        for update, recommendation in updates:
            note = localize(update.text, lang)
            paragraphs.append(_("Progress on \u201c%(title)s\u201d: %(note)s",
                                title=localize(recommendation.title, lang).text, note=note.text))
            if note.is_fallback:
                paragraphs.append(_("(not yet translated into your language)"))
        paragraphs.append(_("To stop these emails: %(url)s", url=unsubscribe))
        first = updates[0][1]
        link = (external_url("recommendations.detail", lang=lang, recommendation_id=first.id),
                _("See the whole history"))
    return compose.build_message(to=follower.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link},
                                 headers=unsubscribe_headers(unsubscribe))
