"""Rules of the newsletter: double opt-in subscriptions, drafting an issue from the period's work,
scheduling, and a test send. Sending itself lives in ``sending``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core import audit, signed_links, throttle
from ..core.database import atomic
from ..core.addresses import normalize_email
from ..core.errors import DomainError
from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import local_to_utc, utc_to_local
from ..i18n import LANGUAGES, gaps
from ..i18n.content import LocalizedText, fallback_note_text, localize
from ..i18n.formatting import format_date
from ..mail import compose
from ..mail.outbox import recipes
from ..planning.queries import held_between, published_starting_after, topics_created_between
from ..recommendations.display import status_label
from ..recommendations.queries import status_changes_between, took_part
from ..web.links import external_url
from .models import Issue, IssueStatus, Section, Subscriber
from .sending import IssueRenderer

CONFIRM_DAYS = 7
GUIDANCE = (2, 4)  # the chapter: a newsletter two to four times a year


class NewsletterError(DomainError):
    """A rule of this domain refused; see ``errors.DomainError``."""


# --- subscribers ----------------------------------------------------------------------------

@atomic()
def subscribe(email: str, language: str) -> None:
    """Start (or restart) a double opt-in. Nothing is sent before the emailed link is opened, and an
    address that is already confirmed hears nothing new: the page answers the same either way."""
    request_subscription(email, language)


def request_subscription(email: str, language: str) -> Subscriber | None:
    """Add or refresh an unconfirmed subscriber and queue the confirmation email, in the current
    transaction (the caller commits). None when the address is already confirmed."""
    email = normalize_email(email)
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is not None and subscriber.confirmed_at:
        return None
    if subscriber is None:
        subscriber = Subscriber(email=email, language=language)
        db.session.add(subscriber)
    subscriber.language = language
    db.session.flush()
    if throttle.email_allowed("newsletter-confirm", email):  # the form cannot flood an inbox
        _send_confirmation(subscriber)  # into the outbox, saved with the subscriber
    return subscriber


CONFIRMATION, TEST_ISSUE = "newsletter.confirmation", "newsletter.test_issue"


def _send_confirmation(subscriber: Subscriber) -> None:
    with force_locale(subscriber.language):
        subject = _("Confirm your subscription to the newsletter")
    recipes.queue(subscriber.email, subject, CONFIRMATION, subscriber=subscriber.id)


@recipes.writer(CONFIRMATION)
def write_confirmation(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """In the language the subscriber chose last; nothing once confirmed or unsubscribed meanwhile."""
    subscriber = db.session.get(Subscriber, recipe["subscriber"])
    if subscriber is None or subscriber.confirmed_at is not None:
        return None
    lang = subscriber.language
    with force_locale(lang):
        subject = _("Confirm your subscription to the newsletter")
        paragraphs = [_("Someone, we hope you, asked to get the migrant forum's newsletter two to four times a "
                        "year in this language."),
                      _("Nothing is sent until you confirm. If it was not you, ignore this email.")]
        link = (external_url("newsletter.confirm", lang=lang,
                             token=signed_links.for_row("newsletter-confirm", subscriber)),
                _("Yes, send me the newsletter"))
    return compose.build_message(to=subscriber.email, subject=subject, template="email/message", lang=lang,
                                 context={"title": subject, "paragraphs": paragraphs, "link": link})


def confirmable(token: str) -> Subscriber | None:
    return signed_links.resolve("newsletter-confirm", token, Subscriber, max_age_days=CONFIRM_DAYS)


def confirm(token: str) -> Subscriber | None:
    return signed_links.confirm("newsletter-confirm", token, Subscriber, max_age_days=CONFIRM_DAYS)


def unsubscribe(token: str) -> bool:
    """One click, no login. The subscriber row goes, and with it every trace but the sent issues."""
    return signed_links.remove("newsletter-unsubscribe", token, Subscriber)


def subscriber_counts() -> dict[str, int]:
    rows = db.session.execute(select(Subscriber.language, func.count())
                              .where(Subscriber.confirmed_at.is_not(None)).group_by(Subscriber.language)).all()
    return dict(rows)


# --- issues ---------------------------------------------------------------------------------

@atomic()
def create_issue(title: dict, period_start: date, period_end: date) -> Issue:
    if period_end < period_start:
        raise NewsletterError(_l("The period must end after it starts."))
    issue = Issue(title=title, period_start=period_start, period_end=period_end)
    db.session.add(issue)
    db.session.flush()
    for position, (kind, heading, body) in enumerate(draft_sections(period_start, period_end)):
        issue.sections.append(Section(position=position, kind=kind, heading=heading, body=body))
    audit.record("created", issue, (title or {}).get("sv", ""),
                 changes={"period": [None, f"{period_start.isoformat()}–{period_end.isoformat()}"]})
    return issue


def _in_every_language(render) -> dict:  # noqa: ANN001
    values = {}
    for code in LANGUAGES:
        with force_locale(code):
            values[code] = render(code)
    return values


def draft_sections(start: date, end: date) -> list[tuple[str, dict, dict]]:
    """Sections drafted from the period's data, in all seven languages; staff edit them afterwards."""

    begin = local_to_utc(datetime.combine(start, time.min))
    finish = local_to_utc(datetime.combine(end, time.max))
    held = held_between(begin, finish)
    coming = published_starting_after(max(finish, utcnow()), limit=6)
    topics = topics_created_between(begin, finish)
    changes = status_changes_between(begin, finish)
    sections = []

    people = took_part(f.id for f in held)  # the one "took part" (recommendations.queries)

    def attendance(forum) -> int:  # noqa: ANN001
        return people[forum.id].number if forum.id in people else 0

    if held:
        sections.append(("forums_held", _in_every_language(lambda code: _("Forums held")), _in_every_language(
            lambda code: "\n\n".join(_marked(
                ngettext("%(hook)s (%(date)s): %(num)d person took part.",
                         "%(hook)s (%(date)s): %(num)d people took part.", attendance(f),
                         hook=localize(f.hook, code).text, date=format_date(utc_to_local(f.starts_at), "long")),
                localize(f.hook, code)) for f in held))))
    if topics:
        sections.append(("new_topics", _in_every_language(lambda code: _("New topics")), _in_every_language(
            lambda code: "\n\n".join(_marked(localize(t.title, code).text, localize(t.title, code))
                                       for t in topics))))
    if coming:
        sections.append(("coming_forums", _in_every_language(lambda code: _("Coming forums")), _in_every_language(
            lambda code: "\n\n".join(_marked(
                _("%(hook)s – %(date)s. Register: %(url)s", hook=localize(f.hook, code).text,
                  date=format_date(utc_to_local(f.starts_at), "long"),
                  url=external_url("planning.forum", lang=code, forum_id=f.id)), localize(f.hook, code))
                for f in coming))))
    if changes:
        latest = {}
        for change, recommendation in changes:
            latest[recommendation.id] = (recommendation, change.to_status)
        sections.append(("recommendations", _in_every_language(lambda code: _("What became of the recommendations")),
                         _in_every_language(lambda code: "\n\n".join(_marked(
                             _("%(title)s: %(status)s. %(url)s", title=localize(r.title, code).text,
                               status=status_label(s),
                               url=external_url("recommendations.detail", lang=code, recommendation_id=r.id)),
                             localize(r.title, code)) for r, s in latest.values()))))
    report_year = _annual_report_year(start, end)
    if report_year:
        sections.append(("annual_report", _in_every_language(lambda code: _("The year's results")),
                         _in_every_language(lambda code: _(
                             "What did the forum achieve in %(year)d? The annual report has the figures, every "
                             "recommendation and what became of it: %(url)s", year=report_year,
                             url=external_url("impact.report", lang=code, year=report_year)))))
    return sections


def _marked(paragraph: str, text: LocalizedText) -> str:
    """A drafted paragraph quoting a staff text, followed by the note a page shows when that text is in
    another language: the draft is plain text in each language, so the mark must be written into it."""
    return "\n\n".join((paragraph, fallback_note_text(text))) if text.is_fallback else paragraph


def _annual_report_year(start: date, end: date) -> int | None:
    """The year whose last period this is (it ends in December, or runs into the next year)."""
    if end.month == 12:
        return end.year
    return start.year if start.year < end.year else None


@atomic()
def add_article(issue: Issue) -> Section:
    """A new section for staff to write, with a placeholder in every language so none is left blank."""
    section = Section(position=len(issue.sections), kind="article",
                      heading=_in_every_language(lambda code: _("New article")),
                      body=_in_every_language(lambda code: _("Write the article here.")))
    issue.sections.append(section)
    audit.record("created", section, "article", changes={"issue_id": [None, issue.id]})
    return section


def placeholder_sections(issue: Issue) -> list[Section]:
    """Articles that still hold the text :func:`add_article` put in, in any language."""
    placeholders = _in_every_language(lambda code: _("Write the article here."))
    return [section for section in issue.sections
            if any(text.strip() == placeholders.get(code) for code, text in (section.body or {}).items())]


@atomic()
def schedule(issue: Issue, send_at: datetime, *, accept_missing: Iterable[str] = ()) -> None:
    """Schedule an issue. Its subject or an article not yet in every language raises
    ``gaps.MissingTranslations`` unless staff confirmed those very languages (``accept_missing``)."""
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        raise NewsletterError(_l("This issue is already being sent."))
    if not issue.title.get("sv"):
        raise NewsletterError(_l("Give the issue a Swedish title first."))
    unwritten = placeholder_sections(issue)
    if unwritten:
        raise NewsletterError(_l(
            "The article “%(heading)s” still says “Write the article here.” Write it in every language, "
            "or delete the article, before you schedule the issue.",
            heading=localize(unwritten[0].heading).text))
    missing = gaps.missing_in(issue, *issue.sections)
    gaps.require_confirmation(missing, accept_missing)
    before = audit.snapshot(issue, ("status", "send_at"))
    issue.send_at, issue.status = send_at, IssueStatus.SCHEDULED
    changes = audit.changes(before, audit.snapshot(issue, ("status", "send_at")))
    if missing:
        changes["untranslated"] = [None, missing]
    audit.record("scheduled", issue, issue.title.get("sv", ""), changes=changes)


@atomic()
def unschedule(issue: Issue) -> None:
    if issue.status is not IssueStatus.SCHEDULED:
        raise NewsletterError(_l("This issue is already being sent."))
    before = audit.snapshot(issue, ("status", "send_at"))
    issue.status, issue.send_at = IssueStatus.DRAFT, None
    audit.record("updated", issue, (issue.title or {}).get("sv", ""),
                 changes=audit.changes(before, audit.snapshot(issue, ("status", "send_at"))))


@recipes.writer(TEST_ISSUE)
def write_test_issue(recipe: dict):  # noqa: ANN201 - an email.message.Message, or None
    """The issue as it is when the test goes, as a subscriber in the recipe's language would get it."""
    issue = db.session.get(Issue, recipe["issue"])
    if issue is None:
        return None
    probe = Subscriber(id=0, email=recipe["to"], language=recipe["language"], link_key="test")
    return IssueRenderer(issue).message(probe)


@atomic()
def send_test(issue: Issue, email: str, language: str) -> None:
    """One message to one address, exactly as a subscriber in ``language`` would get it."""

    with force_locale(language):
        subject = localize(issue.title, language).text
    recipes.queue(email, subject, TEST_ISSUE, issue=issue.id, language=language, to=email)
    audit.record("test_sent", issue, (issue.title or {}).get("sv", ""), changes={"language": [None, language]})


def year_plan(year: int) -> dict:
    issues = list(db.session.scalars(select(Issue).where(
        Issue.period_end >= date(year, 1, 1), Issue.period_end <= date(year, 12, 31)).order_by(Issue.period_end)))
    # "Planned" is what the dashboard's sentence says: an issue with a sending time (scheduled, being
    # sent or sent). A draft nobody has scheduled is not planned.
    return {"year": year, "issues": issues, "low": GUIDANCE[0], "high": GUIDANCE[1],
            "planned": sum(1 for i in issues if i.status is not IssueStatus.DRAFT),
            "sent": sum(1 for i in issues if i.status is IssueStatus.SENT)}


@atomic()
def save_issue(issue: Issue, *, title: dict, sections: dict[int, tuple[dict, dict]]) -> Issue:
    """The issue's title and each section's heading and text, per language."""
    issue.title = title
    for section in issue.sections:
        if section.id in sections:
            section.heading, section.body = sections[section.id]
    audit.record("updated", issue, (title or {}).get("sv", ""))
    return issue


@atomic()
def move_section(section: Section, step: int) -> None:
    """Move a section one place up (``step`` -1) or down (+1) in its issue; at either end nothing moves."""
    issue = db.session.get(Issue, section.issue_id)
    order = list(issue.sections)
    at = order.index(section)
    to = at + step
    if not 0 <= to < len(order):
        return
    order[at], order[to] = order[to], order[at]
    for position, item in enumerate(order):
        item.position = position
    audit.record("updated", issue, (issue.title or {}).get("sv", ""),
                 changes={"order": [None, [(item.heading or {}).get("sv", "") for item in order]]})


@dataclass
class Reach:
    """Who gets an issue in one language, and what of it they would read in Swedish."""

    code: str
    subscribers: int
    missing: list[str]


def reach(issue: Issue) -> list[Reach]:
    """Per language: the confirmed subscribers and the parts of the issue not translated into it (the
    title, or an article by its Swedish heading), shown before the issue is scheduled."""
    counts = subscriber_counts()
    rows = []
    for code in LANGUAGES:
        missing = [_("Title")] if not (issue.title or {}).get(code) else []
        missing += [(section.heading or {}).get("sv", "") or _("New article") for section in issue.sections
                    if not (section.heading or {}).get(code) or not (section.body or {}).get(code)]
        rows.append(Reach(code, counts.get(code, 0), missing))
    return rows


@atomic()
def delete_section(section: Section) -> None:
    audit.record("deleted", section, (section.heading or {}).get("sv", ""))
    db.session.delete(section)


# --- access and erasure by address (see personal_data.py) -------------------------------------

def export_by_address(address) -> dict | None:  # noqa: ANN001 - personal_data.Address
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == address.email)) if address.email else None
    if subscriber is None:
        return None
    return audit.snapshot(subscriber, ("email", "language", "created_at", "confirmed_at"))


def erase_by_address(address) -> dict:  # noqa: ANN001 - personal_data.Address
    """The subscription goes, with its delivery rows (the issues keep their own sent counts in the log)."""
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == address.email)) if address.email else None
    if subscriber is None:
        return {}
    db.session.delete(subscriber)
    return {"subscriptions": 1}
